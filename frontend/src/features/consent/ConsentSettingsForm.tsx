import { useState } from 'react';
import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { saveConsentSettings } from '../../api/consent';
import { useFieldAction } from '../../useAction';
import type { ConsentSettings, ConsentSetup } from '../../api/types';

interface Props {
  setup: ConsentSetup;
  onSaved: (s: ConsentSetup) => void;
}

/** The practice details a consent form needs beyond the brand kit. */
export function ConsentSettingsForm({ setup, onSaved }: Props) {
  const suggestion = setup.settings.withdrawalMethod || (setup.practiceName ? 'email us or tell reception' : '');
  const [s, setS] = useState<ConsentSettings>({ ...setup.settings, withdrawalMethod: suggestion });
  const { busy, error, run, at: err } = useFieldAction();
  const set = (k: keyof ConsentSettings, v: string | number) => setS((x) => ({ ...x, [k]: v }));

  const save = () =>
    run(async () => {
      onSaved(await saveConsentSettings(s));
      notifications.show({ color: 'teal', message: 'Consent settings saved.' });
    });

  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label="Privacy notice web address" placeholder="https://www.yourpractice.example/privacy" value={s.privacyNoticeUrl}
          onChange={(e) => set('privacyNoticeUrl', e.currentTarget.value)} error={err('privacyNoticeUrl')} required />
        <TextInput label="Privacy contact (optional)" description={setup.country === 'GB' ? 'Your DPO or privacy lead, if you have one' : 'Your privacy officer'}
          value={s.privacyContact} onChange={(e) => set('privacyContact', e.currentTarget.value)} error={err('privacyContact')} />
        <TextInput label="How patients can withdraw" description={setup.country === 'US' ? 'HIPAA: withdrawal must be in writing, e.g. “email privacy@… or write to us”' : 'e.g. “email privacy@… or tell reception”'}
          value={s.withdrawalMethod} onChange={(e) => set('withdrawalMethod', e.currentTarget.value)} error={err('withdrawalMethod')} required />
        <TextInput label="Who may use the testimonials (optional)" description="Leave empty for “the practice and the staff who run its marketing”"
          value={s.authorisedUsers} onChange={(e) => set('authorisedUsers', e.currentTarget.value)} error={err('authorisedUsers')} />
        <Select label="Practice time zone" data={setup.zones} value={s.zone} onChange={(z) => z && set('zone', z)} error={err('zone')} allowDeselect={false} />
        <NumberInput label="Take content down within (days)" min={1} max={30} value={s.removalDays} onChange={(v) => set('removalDays', Number(v) || 0)} error={err('removalDays')} />
      </SimpleGrid>
      {error && !error.field && <Alert color="red" variant="light">{error.message}</Alert>}
      <Group justify="flex-end">
        <Button onClick={save} loading={busy}>Save consent settings</Button>
      </Group>
    </Stack>
  );
}
