import { useEffect, useState } from 'react';
import { Alert, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { lockStatus, setIdleMinutes } from '../../api/consent';
import { toAppError } from '../../api/errors';
import type { LockStatus } from '../../api/types';
import { SetPinModal } from '../lock/SetPinModal';

const choices = [1, 2, 5, 10, 15, 30, 60, 120].map((n) => ({
  value: String(n),
  label: n === 1 ? '1 minute' : n === 10 ? '10 minutes (recommended)' : n < 60 ? `${n} minutes` : `${n / 60} hour${n > 60 ? 's' : ''}`,
}));

/** Settings → Lock: the manager PIN and how soon an unused PracticePost locks itself. */
export function LockPanel() {
  const [status, setStatus] = useState<LockStatus | null>(null);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(false);
  const [pinOpen, setPinOpen] = useState(false);

  useEffect(() => {
    lockStatus().then(setStatus).catch((e) => setError(toAppError(e).message));
  }, []);

  const choose = async (v: string | null) => {
    if (!v) return;
    setError('');
    setSaved(false);
    try {
      setStatus(await setIdleMinutes(Number(v)));
      setSaved(true);
    } catch (e) {
      setError(toAppError(e).message);
    }
  };

  return (
    <Paper withBorder p="lg" radius="md" maw={720}>
      <Stack>
        <Group gap="xs">
          <IconLock size={20} />
          <Title order={2} size="h3">Lock</Title>
        </Group>
        <Text size="sm">
          PracticePost locks itself when nobody has used it for a while, so patient records are not left open on a screen
          others can see. Unlock it with the manager PIN.
        </Text>
        {status && !status.pinSet && (
          <Alert color="orange" title="No manager PIN yet" data-testid="lock-no-pin">
            <Stack gap="xs">
              <Text size="sm">Without a PIN PracticePost cannot lock itself. Set one now.</Text>
              <Group>
                <Button size="xs" onClick={() => setPinOpen(true)}>Set a manager PIN</Button>
              </Group>
            </Stack>
          </Alert>
        )}
        <Select
          label="Lock after this long without use"
          data={choices}
          value={status ? String(status.idleMinutes) : null}
          onChange={choose}
          allowDeselect={false}
          maw={320}
          disabled={!status}
          data-testid="lock-idle-minutes"
          description="Typing, clicking or scrolling counts as use. There is no “never”: an unattended front-desk screen is what this protects."
        />
        {saved && <Text size="sm" c="teal" data-testid="lock-saved">Saved.</Text>}
        {error && <Alert color="red">{error}</Alert>}
      </Stack>
      <SetPinModal opened={pinOpen} onClose={() => setPinOpen(false)} onDone={(s) => { setStatus(s); setPinOpen(false); }} />
    </Paper>
  );
}
