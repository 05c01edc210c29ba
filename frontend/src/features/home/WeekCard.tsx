import { useCallback, useEffect, useState } from 'react';
import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCalendarEvent, IconExternalLink, IconSend } from '@tabler/icons-react';
import { PublishEvents, queuedJobs, recentJobs } from '../../api/publish';
import { onEvent } from '../../api/system';
import type { JobView } from '../../api/types';
import { formatShortWhen } from '../../format';

const upcoming = ['queued', 'waiting', 'scheduled_remote', 'attempting'];

function firstLine(text: string): string {
  const t = text.split('\n').find((l) => l.trim()) ?? '';
  return t.length > 70 ? t.slice(0, 68).trimEnd() + '…' : t;
}

/** The channel posts of one post grouped, so a post to three channels is one line. */
function byPost(jobs: JobView[]): JobView[][] {
  const groups = new Map<string, JobView[]>();
  for (const j of jobs) {
    const k = j.draftId ? 'd' + j.draftId : 'j' + j.id;
    groups.set(k, [...(groups.get(k) ?? []), j]);
  }
  return [...groups.values()];
}

/**
 * Home's answer to "what now?": the next posts going out and what went out
 * this week, with their live links. Missed, refused and stopped posts are
 * the attention card's; consents and sign-ins ending are their own cards.
 */
export function WeekCard({ go }: { go: (to: string) => void }) {
  const [next, setNext] = useState<JobView[][] | null>(null);
  const [went, setWent] = useState<JobView[][] | null>(null);
  const load = useCallback(() => {
    Promise.resolve().then(queuedJobs)
      .then((js) => setNext(byPost((js ?? []).filter((j) => upcoming.includes(j.state))
        .sort((a, b) => (a.scheduledAt || '').localeCompare(b.scheduledAt || ''))).slice(0, 5)))
      .catch(() => setNext([]));
    Promise.resolve().then(recentJobs).then((js) => setWent(byPost(js ?? []).slice(0, 8))).catch(() => setWent([]));
  }, []);
  useEffect(() => {
    load();
    return onEvent(PublishEvents.progress, load);
  }, [load]);
  if (!next || !went) return null;

  const open = (j: JobView) => go(Number(j.draftId) > 0 ? 'drafts/' + j.draftId : 'calendar');
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="week-card">
      <Card withBorder padding="lg">
        <Group gap="sm" mb="sm">
          <ThemeIcon variant="light" size={32}><IconCalendarEvent size={18} /></ThemeIcon>
          <Text fw={600}>Going out next</Text>
        </Group>
        {next.length === 0 ? (
          <Text size="sm" c="dimmed">Nothing is scheduled. Plan a post in Posts or on the Calendar.</Text>
        ) : (
          <Stack gap={8}>
            {next.map((g) => (
              <Group key={g[0].id} justify="space-between" wrap="nowrap" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Anchor component="button" type="button" size="sm" fw={500} onClick={() => open(g[0])} style={{ textAlign: 'left' }}>
                    {firstLine(g[0].text) || 'A post'}
                  </Anchor>
                  <Text size="xs" c="dimmed">{formatShortWhen(g[0].scheduledAt, g[0].zone || undefined)} · {g.map((j) => j.title).join(', ')}</Text>
                </div>
                {g.some((j) => j.state !== 'scheduled_remote') && (
                  <Badge size="xs" variant="light" color="blue" tt="none" style={{ flexShrink: 0 }} title="PracticePost sends it from this computer: leave it on">Needs this computer on</Badge>
                )}
              </Group>
            ))}
          </Stack>
        )}
        <Button mt="md" variant="light" onClick={() => go('calendar')}>Open the calendar</Button>
      </Card>
      <Card withBorder padding="lg">
        <Group gap="sm" mb="sm">
          <ThemeIcon variant="light" size={32} color="teal"><IconSend size={18} /></ThemeIcon>
          <Text fw={600}>Went out this week</Text>
        </Group>
        {went.length === 0 ? (
          <Text size="sm" c="dimmed">Nothing has gone out in the last seven days.</Text>
        ) : (
          <Stack gap={8}>
            {went.map((g) => (
              <div key={g[0].id}>
                <Anchor component="button" type="button" size="sm" fw={500} onClick={() => open(g[0])} style={{ textAlign: 'left' }}>
                  {firstLine(g[0].text) || 'A post'}
                </Anchor>
                <Group gap={8}>
                  <Text size="xs" c="dimmed">{formatShortWhen(g[0].publishedAt, g[0].zone || undefined)}</Text>
                  {g.map((j) => j.remoteUrl && (
                    <Anchor key={j.id} size="xs" href={j.remoteUrl} target="_blank" rel="noreferrer">
                      {j.title} <IconExternalLink size={10} />
                    </Anchor>
                  ))}
                </Group>
              </div>
            ))}
          </Stack>
        )}
      </Card>
    </SimpleGrid>
  );
}
