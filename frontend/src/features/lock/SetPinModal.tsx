import { useState } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { setPIN } from '../../api/consent';
import { useFieldAction } from '../../useAction';
import type { LockStatus } from '../../api/types';

interface Props {
  opened: boolean;
  onClose: () => void;
  onDone: (s: LockStatus) => void;
}

/** First-time manager PIN: needed before the screen can be handed to a patient. */
export function SetPinModal({ opened, onClose, onDone }: Props) {
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, error, run } = useFieldAction();

  const submit = () =>
    run(async () => {
      const s = await setPIN(pin, confirm);
      setPin('');
      setConfirm('');
      onDone(s);
    });

  return (
    <Modal opened={opened} onClose={onClose} title="Set a manager PIN" centered>
      <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <Stack>
          <Text size="sm">
            While a patient signs, the rest of PracticePost is locked. This PIN unlocks it again. Choose 4 to 12 digits that
            patients cannot guess, and keep it to yourself and trusted staff.
          </Text>
          <PasswordInput label="New PIN" value={pin} onChange={(e) => setPin(e.currentTarget.value)} inputMode="numeric"
            autoComplete="new-password" error={error?.field === 'pin' ? error.message : undefined} data-autofocus data-testid="new-pin" />
          <PasswordInput label="Type the PIN again" value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} inputMode="numeric"
            autoComplete="new-password" error={error?.field === 'confirm' ? error.message : undefined} data-testid="confirm-pin" />
          {error && !error.field && <Alert color="red" variant="light">{error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={busy} disabled={!pin || !confirm}>Save PIN</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
