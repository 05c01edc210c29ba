import { useState } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { IconLockOpen } from '@tabler/icons-react';
import { unlock } from '../../api/consent';
import { useAction } from '../../useAction';
import type { LockStatus } from '../../api/types';

interface Props {
  opened: boolean;
  onClose: () => void;
  onUnlocked: (s: LockStatus) => void;
}

/** The manager's PIN prompt that ends the patient's turn with the screen. */
export function UnlockModal({ opened, onClose, onUnlocked }: Props) {
  const [pin, setPin] = useState('');
  const { busy, error, run } = useAction();

  const submit = async () => {
    const s = await run(() => unlock(pin));
    // Right or wrong, the PIN is not left in the field.
    setPin('');
    if (s) onUnlocked(s);
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Staff only: unlock PracticePost" centered size="md">
      <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <Stack>
          <Text size="md">Enter the manager PIN to leave the signing screen.</Text>
          <PasswordInput label="Manager PIN" size="lg" value={pin} onChange={(e) => setPin(e.currentTarget.value)}
            inputMode="numeric" autoComplete="off" data-autofocus data-testid="unlock-pin" />
          {error && <Alert color="red" variant="light" data-testid="unlock-error">{error}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={busy} leftSection={<IconLockOpen size={18} />} disabled={!pin}>Unlock</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
