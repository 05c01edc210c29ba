import { useEffect, useState } from 'react';
import { Anchor, Text } from '@mantine/core';
import { backgroundSettings, setStartAtLogin } from '../../api/system';
import { toAppError } from '../../api/errors';
import type { BackgroundSettings } from '../../api/types';

/**
 * Offered beside the waiting-posts note, i.e. once a post is scheduled:
 * start PracticePost at sign-in so scheduled posts survive a restart.
 */
export function StartAtLoginOffer() {
  const [s, setS] = useState<BackgroundSettings | null>(null);
  const [later, setLater] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    backgroundSettings().then(setS).catch(() => setS(null));
  }, []);
  if (!s || !s.canStartAtLogin || s.startAtLogin || later) return null;
  const turnOn = async () => {
    setError('');
    try {
      setS(await setStartAtLogin(true));
    } catch (e) {
      setError(toAppError(e).message);
    }
  };
  return (
    <div data-testid="start-at-login-offer">
      <Text size="xs" c="blue.9" mt={4} title="Scheduled posts go out only while PracticePost runs on this computer.">
        So posts still go out after a restart:{' '}
        <Anchor component="button" size="xs" fw={600} onClick={turnOn} data-testid="start-at-login-yes">start at sign-in</Anchor>
        {' · '}
        <Anchor component="button" size="xs" c="dimmed" onClick={() => setLater(true)}>not now</Anchor>
      </Text>
      {error && <Text size="xs" c="red.8">{error}</Text>}
    </div>
  );
}
