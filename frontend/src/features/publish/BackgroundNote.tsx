import { useCallback, useEffect, useState } from 'react';
import { Button, Paper, Text, Tooltip } from '@mantine/core';
import { IconClockHour4, IconPower } from '@tabler/icons-react';
import { background, PublishEvents, quitApp } from '../../api/publish';
import { onEvent } from '../../api/system';
import type { BackgroundView } from '../../api/types';
import { StartAtLoginOffer } from '../release/StartAtLoginOffer';
import { useMediaQuery } from '@mantine/hooks';
import { shortWindow } from '../../theme';

/** Tells the manager that closing the window keeps PracticePost sending, and offers Quit. */
export function BackgroundNote() {
  const [b, setB] = useState<BackgroundView | null>(null);
  const short = useMediaQuery(shortWindow);
  const load = useCallback(() => {
    background().then(setB).catch(() => setB(null));
  }, []);
  useEffect(() => {
    load();
    const t = setInterval(load, 60000);
    const off = onEvent(PublishEvents.progress, load);
    return () => { clearInterval(t); off(); };
  }, [load]);
  if (!b || b.waiting === 0) return null;
  return (
    <Paper withBorder radius="md" p="xs" mb={short ? 'xs' : 'sm'} bg="blue.0" data-testid="background-note">
      <Tooltip label={b.message} multiline w={260}>
        <Text size="xs" c="blue.9">
          <IconClockHour4 size={12} /> {b.posts} post{b.posts === 1 ? '' : 's'} waiting to go out. Keep this computer on
          {/* On a short window the sidebar has room for the instruction only; the tooltip says the rest. */}
          {short ? '.' : ': closing the window keeps PracticePost running.'}
        </Text>
      </Tooltip>
      <Button size="compact-xs" variant="subtle" color="gray" mt={4} leftSection={<IconPower size={12} />}
        onClick={() => { if (window.confirm('Quit PracticePost? Posts due while it is closed will be marked missed and wait for you.')) quitApp(); }}>
        Quit PracticePost
      </Button>
      <StartAtLoginOffer />
    </Paper>
  );
}
