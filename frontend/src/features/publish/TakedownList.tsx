import { useCallback, useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconExternalLink, IconTrash } from '@tabler/icons-react';
import { PublishEvents, takedown, takedowns } from '../../api/publish';
import { onEvent } from '../../api/system';
import { toAppError } from '../../api/errors';
import type { Takedown } from '../../api/types';

const titles: Record<string, string> = { facebook: 'Facebook', mastodon: 'Mastodon', bluesky: 'Bluesky' };

/** Live posts that used a withdrawn consent, each with "Delete" where the platform allows it. */
export function TakedownList({ consentId }: { consentId: number }) {
  const [items, setItems] = useState<Takedown[] | null>(null);
  const [busy, setBusy] = useState(0);
  const [messages, setMessages] = useState<Record<number, { ok: boolean; text: string }>>({});
  const load = useCallback(() => {
    takedowns(consentId).then((t) => setItems(t ?? [])).catch(() => setItems([]));
  }, [consentId]);
  useEffect(() => {
    load();
    return onEvent(PublishEvents.progress, load);
  }, [load]);
  if (!items || items.length === 0) return null;
  const del = async (t: Takedown) => {
    setBusy(t.jobId);
    try {
      const j = await takedown(t.jobId);
      setMessages((m) => ({ ...m, [t.jobId]: j.takedown === 'deleted'
        ? { ok: true, text: `Deleted from ${titles[t.platform] ?? t.platform}. Recorded in the activity log.` }
        : { ok: false, text: j.takedownError || 'Not deleted yet; PracticePost tries again by itself.' } }));
      load();
    } catch (e) {
      setMessages((m) => ({ ...m, [t.jobId]: { ok: false, text: toAppError(e).message } }));
    } finally {
      setBusy(0);
    }
  };
  return (
    <Paper withBorder p="md" radius="md" data-testid="takedown-list">
      <Title order={4} mb={4}>Posts to take down</Title>
      <Text size="sm" c="dimmed" mb="sm">These posts used this consent and are still up. Delete them here; the result is recorded.</Text>
      <Stack gap="xs">
        {items.map((t) => (
          <Group key={t.jobId} justify="space-between" wrap="nowrap">
            <div>
              <Group gap={6}>
                <Text fw={600} size="sm">{titles[t.platform] ?? t.platform}</Text>
                {t.scheduled && <Badge size="xs">held for later: removed automatically</Badge>}
                {t.takedown === 'failed' && <Badge size="xs" color="red">delete failed</Badge>}
                {t.takedown === 'pending' && <Badge size="xs" color="orange">retrying</Badge>}
              </Group>
              {t.url && <Anchor href={t.url} target="_blank" size="xs">{t.url} <IconExternalLink size={10} /></Anchor>}
              {t.error && <Text size="xs" c="red.8">{t.error}</Text>}
              {messages[t.jobId] && <Text size="xs" c={messages[t.jobId].ok ? 'teal.8' : 'red.8'}>{messages[t.jobId].text}</Text>}
            </div>
            <Button size="xs" color="red" variant="light" leftSection={<IconTrash size={14} />} loading={busy === t.jobId} onClick={() => del(t)} data-testid="takedown-delete">
              Delete
            </Button>
          </Group>
        ))}
      </Stack>
      {Object.values(messages).some((m) => m.ok) && <Alert mt="sm" color="teal" variant="light">Deleted posts disappear from this list.</Alert>}
    </Paper>
  );
}
