import { useEffect, useState } from 'react';
import { Button, Card, Group, Text, ThemeIcon } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { onEvent } from '../../api/system';
import { inboxSummary, InboxEvents, practiceDate, type InboxSummary } from '../../api/inbox';

/** Home's inbox line: how many comments and reviews wait, and since when. Hidden when none wait. */
export function InboxCard({ go, country }: { go: (to: string) => void; country: string }) {
  const [s, setS] = useState<InboxSummary | null>(null);
  useEffect(() => {
    const load = () => inboxSummary().then(setS).catch(() => setS(null));
    load();
    return onEvent(InboxEvents.changed, load);
  }, []);
  if (!s || s.unanswered === 0) return null;
  return (
    <Card withBorder padding="lg" data-testid="home-inbox">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon variant="light" color="orange" size={32}><IconInbox size={18} /></ThemeIcon>
          <div>
            <Text fw={700} data-testid="home-inbox-count">
              {s.unanswered} comment{s.unanswered === 1 ? '' : 's'} or review{s.unanswered === 1 ? '' : 's'} waiting for an answer
            </Text>
            <Text size="sm" c="dimmed">Oldest waiting since {practiceDate(s.oldestWaiting, country)}</Text>
          </div>
        </Group>
        <Button variant="light" onClick={() => go('inbox')}>Open the Inbox</Button>
      </Group>
    </Card>
  );
}
