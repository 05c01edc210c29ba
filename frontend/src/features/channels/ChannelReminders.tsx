import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { ChannelEvents, listChannels } from '../../api/channels';
import { onEvent } from '../../api/system';
import type { ChannelView } from '../../api/types';

/** Home's reminder: sign-ins that run out within a week, or already need reconnecting. */
export function ChannelReminders({ go }: { go: (to: string) => void }) {
  const [due, setDue] = useState<ChannelView[]>([]);
  const load = useCallback(() => {
    listChannels()
      .then((cs) => setDue((cs ?? []).filter((c) => c.state === 'expiring_soon' || c.state === 'needs_reconnect')))
      .catch(() => setDue([]));
  }, []);
  useEffect(() => {
    load();
    return onEvent(ChannelEvents.changed, load);
  }, [load]);
  if (due.length === 0) return null;
  return (
    <Card withBorder padding="lg" data-testid="channel-reminders">
      <Group gap="sm" mb="xs">
        <ThemeIcon variant="light" color="orange" size={32}><IconPlugConnected size={18} /></ThemeIcon>
        <Text fw={600}>Reconnect {due.length === 1 ? 'a channel' : `${due.length} channels`}</Text>
      </Group>
      <Stack gap={6}>
        {due.map((c) => (
          <Text key={c.id} size="sm" c={c.state === 'needs_reconnect' ? 'red.8' : 'orange.8'}>
            <b>{c.title}</b> ({c.handle || c.name}):{' '}
            {c.state === 'needs_reconnect' ? 'needs reconnecting now.' : c.daysLeft <= 0 ? 'the sign-in runs out today.' : `the sign-in runs out in ${c.daysLeft} day${c.daysLeft === 1 ? '' : 's'}.`}
          </Text>
        ))}
      </Stack>
      <Button mt="md" variant="light" color="orange" onClick={() => go('channels')}>Open Channels</Button>
    </Card>
  );
}
