import { useEffect, useState } from 'react';
import { Alert, Paper, Radio, Stack, Switch, Text, Title, Group } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { backgroundSettings, setCloseKeepsRunning, setStartAtLogin } from '../../api/system';
import { toAppError } from '../../api/errors';
import type { BackgroundSettings } from '../../api/types';
import { useAction } from '../../useAction';

/** Settings → Running in the background: what closing the window does, and starting at login. */
export function BackgroundPanel() {
  const [view, setView] = useState<BackgroundSettings | null>(null);
  const { busy, error, setError, run: attempt } = useAction();
  useEffect(() => {
    backgroundSettings().then(setView).catch((e) => setError(toAppError(e).message));
  }, [setError]);
  const run = (fn: () => Promise<BackgroundSettings>) => attempt(async () => setView(await fn()));
  return (
    <Paper withBorder p="lg" radius="md" maw={720} data-testid="background-panel">
      <Stack>
        <Group gap="xs"><IconPlayerPlay size={20} /><Title order={2} size="h3">Running in the background</Title></Group>
        <Text size="sm">
          Scheduled posts go out only while PracticePost is running on this computer. Posts due while it is closed or the
          computer is off are marked missed, and you choose whether to send them late.
        </Text>
        {view && (
          <>
            <Radio.Group label="When I close the window while posts are waiting" value={view.closeKeepsRunning ? 'keep' : 'quit'}
              onChange={(v) => run(() => setCloseKeepsRunning(v === 'keep'))}>
              <Stack gap={6} mt={6}>
                <Radio value="keep" disabled={busy} data-testid="close-keep"
                  label="Keep running to send them (recommended)"
                  description="The window hides and a notification says PracticePost is still running. Quit with PracticePost → Quit PracticePost (Ctrl+Q)." />
                <Radio value="quit" disabled={busy} data-testid="close-quit"
                  label="Quit"
                  description="Posts due before you open PracticePost again are marked missed." />
              </Stack>
            </Radio.Group>
            <Switch checked={view.startAtLogin} disabled={busy || !view.canStartAtLogin} data-testid="start-at-login"
              onChange={(e) => { const on = e.currentTarget.checked; run(() => setStartAtLogin(on)); }}
              label="Start PracticePost when I sign in to this computer"
              description={view.canStartAtLogin
                ? 'It opens minimised, so scheduled posts go out after a restart without anyone remembering to open it.'
                : view.startAtLoginNote} />
            {view.canStartAtLogin && view.startAtLoginNote && <Alert color="orange" variant="light" data-testid="start-at-login-note">{view.startAtLoginNote}</Alert>}
          </>
        )}
        {error && <Alert color="red" data-testid="background-error">{error}</Alert>}
      </Stack>
    </Paper>
  );
}
