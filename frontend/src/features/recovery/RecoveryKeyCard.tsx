import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Group, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconPrinter, IconAlertTriangle } from '@tabler/icons-react';
import { makeRecoveryKey, recoveryStatus, saveRecoverySheet } from '../../api/recovery';
import { toAppError } from '../../api/errors';
import type { RecoveryKeyView, RecoveryStatus } from '../../api/types';
import { formatWhen } from '../../format';
import { useAction } from '../../useAction';

/**
 * The practice's recovery key: the only way to open its data, or a backup,
 * on another computer. PracticePost keeps no copy, so the words are shown
 * once, in a dialog that stays until the manager says they are kept safe.
 */
export function RecoveryKeyCard({ onChange }: { onChange?: (s: RecoveryStatus) => void }) {
  const [status, setStatus] = useState<RecoveryStatus | null>(null);
  const { busy: making, error, setError, run } = useAction();
  const [confirmReplace, setConfirmReplace] = useState(false);
  const [shown, setShown] = useState<RecoveryKeyView | null>(null);

  const load = useCallback(() => {
    recoveryStatus()
      .then((s) => {
        setStatus(s);
        onChange?.(s);
      })
      .catch((e) => setError(toAppError(e).message));
  }, [onChange]);
  useEffect(load, [load]);

  const make = async () => {
    setConfirmReplace(false);
    await run(async () => setShown(await makeRecoveryKey()));
  };

  return (
    <Card withBorder padding="lg" data-testid="recovery-card">
      <Group justify="space-between" align="flex-start" mb={4}>
        <Title order={2} size="h4">Recovery key</Title>
        {status?.made ? (
          <Button variant="default" size="xs" leftSection={<IconKey size={14} />} onClick={() => setConfirmReplace(true)} loading={making}>
            Make a new recovery key…
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        Your patients' details, photos and signed forms are locked in the data file and in every backup. This computer holds the
        key. To open your data or a backup on another computer (a new PC, or after a repair), you need the practice's recovery key:
        14 words you print or write down and keep somewhere safe, away from the computer.
      </Text>
      {status && !status.made && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="You have no recovery key yet" mb="md">
          Without one, your backups can only be restored on this computer. Make it now: it takes a minute.
        </Alert>
      )}
      {status?.made && status.madeAt && (
        <Text size="sm" mb="md" data-testid="recovery-made">
          Your current recovery key was made {formatWhen(status.madeAt)}. PracticePost cannot show it again; if it is lost, make a new one.
        </Text>
      )}
      {status && !status.made && (
        <Button leftSection={<IconKey size={18} />} onClick={make} loading={making} data-testid="recovery-make">
          Make my recovery key
        </Button>
      )}
      {error && (
        <Alert color="red" variant="light" mt="md" icon={<IconAlertTriangle size={18} />} title="That did not work">
          {error}
        </Alert>
      )}

      <Modal opened={confirmReplace} onClose={() => setConfirmReplace(false)} title="Make a new recovery key?" centered>
        <Stack>
          <Text size="sm">
            The new key replaces the old one for your data and for every backup made from now on. Backups made before today still
            need the old key, so keep the old sheet until those backups are no longer needed.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmReplace(false)}>Keep the current key</Button>
            <Button onClick={make}>Make a new key</Button>
          </Group>
        </Stack>
      </Modal>

      {shown && (
        <RecoveryWordsModal
          view={shown}
          onDone={() => {
            setShown(null);
            load();
            notifications.show({ color: 'teal', message: 'Recovery key made. Keep the words somewhere safe.' });
          }}
        />
      )}
    </Card>
  );
}

function RecoveryWordsModal({ view, onDone }: { view: RecoveryKeyView; onDone: () => void }) {
  const [kept, setKept] = useState(false);
  const [saved, setSaved] = useState('');
  const [error, setError] = useState('');

  const save = async () => {
    setError('');
    try {
      const path = await saveRecoverySheet(view.words);
      if (path) setSaved(path);
    } catch (e) {
      setError(toAppError(e).message);
    }
  };

  return (
    // The dialog cannot be dismissed by Escape or a click outside: the
    // words are never shown again.
    <Modal opened onClose={() => undefined} withCloseButton={false} closeOnEscape={false} closeOnClickOutside={false}
      title="Your recovery key" size="lg" centered>
      <Stack>
        <Text size="sm">
          Write these 14 words down in order, or save the sheet and print it. PracticePost shows them only now. Anyone with these words
          and a backup can read your patients' records, so keep them private: a locked drawer or safe, not on the computer.
        </Text>
        <SimpleGrid cols={2} spacing="xs" verticalSpacing={6} data-testid="recovery-words" aria-label="Recovery key words, in order">
          {view.words.map((w, i) => (
            <Group key={i} gap="xs" wrap="nowrap">
              <Text size="sm" c="dimmed" w={24} ta="right">{i + 1}.</Text>
              <Text fw={700} size="lg" ff="monospace" data-testid="recovery-word">{w}</Text>
            </Group>
          ))}
        </SimpleGrid>
        <Group>
          <Button variant="default" leftSection={<IconPrinter size={16} />} onClick={save}>Save the sheet to print…</Button>
          {saved && <Text size="sm" c="teal.8" data-testid="recovery-sheet-saved">Saved as {saved}. Print it, then delete the file.</Text>}
        </Group>
        {error && <Alert color="red" variant="light">{error}</Alert>}
        <Checkbox checked={kept} onChange={(e) => setKept(e.currentTarget.checked)} data-testid="recovery-kept"
          label="I have written these words down or printed the sheet, and put it somewhere safe" />
        <Group justify="flex-end" gap="sm">
          {!kept && <Text size="xs" c="dimmed">Tick the box once the words are kept safe.</Text>}
          <Button onClick={onDone} disabled={!kept} data-testid="recovery-done">Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
