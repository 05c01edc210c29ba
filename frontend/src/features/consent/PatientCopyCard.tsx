import { useCallback, useEffect, useState } from 'react';
import { Alert, Anchor, Button, Card, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconMail, IconHandFinger } from '@tabler/icons-react';
import { emailPatientCopy, patientCopy, recordCopyHandedOver, type PatientCopy } from '../../api/mail';
import { toAppError } from '../../api/errors';
import { useAction } from '../../useAction';
import { formatWhen } from '../../format';

/**
 * The patient's copy of what they signed: the form promises it ("I will
 * receive a copy of this signed form") and HIPAA 164.508(c)(4) requires it.
 * The card says whether it was given, and emails it or records a hand-over.
 */
export function PatientCopyCard({ consentId, country }: { consentId: number; country: string }) {
  const [pc, setPC] = useState<PatientCopy | null>(null);
  const [loadError, setLoadError] = useState('');
  const [confirmHand, setConfirmHand] = useState(false);
  const { busy, error, run } = useAction();

  const load = useCallback(
    () => patientCopy(consentId).then(setPC).catch((e) => setLoadError(toAppError(e).message)),
    [consentId],
  );
  useEffect(() => {
    load();
  }, [load]);

  if (loadError) return <Alert color="red" variant="light" title="The patient's copy could not be read">{loadError}</Alert>;
  if (!pc) return null;

  const email = () =>
    run(async () => {
      const r = await emailPatientCopy(consentId);
      setPC(r);
      notifications.show({ color: 'teal', title: 'Copy emailed', message: `The signed form went to ${r.emailTo}.` });
    }).then((r) => (r === undefined ? load() : undefined)); // a failed send is recorded: show it
  const handOver = () =>
    run(async () => {
      setPC(await recordCopyHandedOver(consentId));
      setConfirmHand(false);
    });

  return (
    <Card withBorder padding="lg" data-testid="patient-copy">
      <Group justify="space-between" align="flex-start" mb={4}>
        <Title order={2} size="h4">Patient&apos;s copy</Title>
        {pc.given && (
          <Group gap={4} c="teal.9"><IconCheck size={18} /><Text size="sm" fw={600}>Given</Text></Group>
        )}
      </Group>
      <Text size="sm" mb="sm">
        {pc.given
          ? 'The patient has their copy of the signed form.'
          : `The form promises the patient a copy of what they signed${country === 'US' ? ', and HIPAA requires it' : ''}. Email it, or record that you gave them a printed copy.`}
      </Text>
      {pc.copies.length > 0 && (
        <Stack gap={4} mb="sm" data-testid="copy-history">
          {pc.copies.map((c) => (
            <Text key={c.id} size="sm" c={c.state === 'failed' ? 'red.9' : undefined}>
              {formatWhen(c.at)}: {c.text}{c.to ? ` to ${c.to}` : ''}.{' '}
              {c.emailUrl && <Anchor href={c.emailUrl} target="_blank" size="sm">Open the email as sent</Anchor>}
            </Text>
          ))}
        </Stack>
      )}
      {error && <Alert color="red" variant="light" mb="sm" title="The copy was not emailed" data-testid="copy-error">{error}</Alert>}
      <Group>
        <Button leftSection={<IconMail size={16} />} variant={pc.given ? 'default' : 'filled'} onClick={email} loading={busy}
          disabled={pc.cannotEmail !== ''} data-testid="email-copy">
          {pc.given ? 'Email it again' : `Email it to ${pc.emailTo}`}
        </Button>
        <Button variant="default" leftSection={<IconHandFinger size={16} />} onClick={() => setConfirmHand(true)} disabled={busy}>
          I gave them a printed copy
        </Button>
      </Group>
      {pc.cannotEmail && (
        <Text size="sm" c="dimmed" mt={6} data-testid="email-copy-why">
          Emailing is not possible yet: {pc.cannotEmail}{' '}
          {pc.cannotEmail.includes('Settings') && <Anchor href="#/settings/mailbox" size="sm">Open Settings → Mailbox</Anchor>}
        </Text>
      )}
      <Modal opened={confirmHand} onClose={() => setConfirmHand(false)} title="Record a printed copy" centered>
        <Stack>
          <Text size="sm">Record that you handed or posted the patient a printed copy of this signed form today. The record is kept with the consent.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmHand(false)}>Cancel</Button>
            <Button onClick={handOver} loading={busy} data-testid="confirm-handed">Record it</Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
