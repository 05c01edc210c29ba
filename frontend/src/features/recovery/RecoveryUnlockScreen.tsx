import { useState } from 'react';
import { Alert, Button, Center, Code, Stack, Text, Title } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { unlockWithRecoveryKey } from '../../api/recovery';
import { useAction } from '../../useAction';
import { RecoveryKeyInput } from './RecoveryKeyInput';

/** Shown at start-up when the data is sealed with keys this computer lacks. */
export function RecoveryUnlockScreen({ message, dataDir, onOpened }: { message: string; dataDir: string; onOpened: () => void }) {
  const [words, setWords] = useState('');
  const { busy, error, run } = useAction();

  const open = () =>
    run(async () => {
      await unlockWithRecoveryKey(words);
      onOpened();
    });

  return (
    <Center component="main" h="100%" p="xl">
      <Stack maw={620} w="100%">
        <Title order={1} size="h2">Open your practice's data on this computer</Title>
        <Alert color="blue" variant="light" icon={<IconKey size={18} />}>{message}</Alert>
        <form onSubmit={(e) => { e.preventDefault(); open(); }}>
          <Stack>
            <RecoveryKeyInput value={words} onChange={setWords} error={error} autoFocus />
            <Button type="submit" loading={busy} leftSection={<IconKey size={18} />} style={{ alignSelf: 'flex-start' }} data-testid="recovery-open">
              Open my data
            </Button>
          </Stack>
        </form>
        <Text size="sm" c="dimmed">
          The recovery key was shown when the practice first set up PracticePost (Settings → Backup → Recovery key). Without it, the data
          in <Code>{dataDir}</Code> cannot be read on this computer; nothing in it has been changed.
        </Text>
      </Stack>
    </Center>
  );
}
