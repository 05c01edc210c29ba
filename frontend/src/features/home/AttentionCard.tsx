import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { PublishEvents, hostedLeftovers, queuedJobs, removeHostedLeftovers } from '../../api/publish';
import { toAppError } from '../../api/errors';
import { formatDay } from '../../format';
import { ChannelEvents, listChannels } from '../../api/channels';
import { onEvent } from '../../api/system';
import type { ChannelView, JobView, LeftoverView } from '../../api/types';
import { JobItem, reconnectNote, whenIn } from '../publish/JobActions';

function firstLine(text: string): string {
  const t = text.split('\n').find((l) => l.trim()) ?? '';
  return t.length > 90 ? t.slice(0, 88).trimEnd() + '…' : t;
}

/**
 * Home's "needs you" card: posts that missed their time while PracticePost
 * was closed, posts a platform refused and posts the consent and privacy
 * check stopped, each with its actions and reasons. Accounts
 * to sign in again are ChannelReminders' card; a post waiting on one says
 * so beside its Publish now. Hidden when nothing needs attention.
 */
export function AttentionCard({ go }: { go: (to: string) => void }) {
  const [jobs, setJobs] = useState<JobView[]>([]);
  const [channels, setChannels] = useState<ChannelView[]>([]);
  const [leftovers, setLeftovers] = useState<LeftoverView[]>([]);
  const load = useCallback(() => {
    hostedLeftovers().then((ls) => setLeftovers(ls ?? [])).catch(() => setLeftovers([]));
    queuedJobs().then((js) => setJobs((js ?? []).filter((j) => j.state === 'missed' || j.state === 'failed' || j.state === 'blocked'))).catch(() => setJobs([]));
    listChannels().then((cs) => setChannels(cs ?? [])).catch(() => setChannels([]));
  }, []);
  useEffect(() => {
    load();
    let t: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(t);
      t = setTimeout(load, 250);
    };
    const offs = [onEvent(PublishEvents.progress, soon), onEvent(ChannelEvents.changed, load)];
    return () => {
      clearTimeout(t);
      offs.forEach((off) => off());
    };
  }, [load]);

  if (jobs.length === 0 && leftovers.length === 0) return null;
  const missed = jobs.filter((j) => j.state === 'missed').length;
  const blocked = jobs.filter((j) => j.state === 'blocked').length;
  const failed = jobs.length - missed - blocked;
  const parts = [
    missed ? `${missed} missed post${missed === 1 ? '' : 's'}` : '',
    failed ? `${failed} post${failed === 1 ? '' : 's'} not posted` : '',
    blocked ? `${blocked} stopped by the consent check` : '',
    leftovers.length ? `${leftovers.reduce((n, l) => n + l.count, 0)} image${leftovers.reduce((n, l) => n + l.count, 0) === 1 ? '' : 's'} not yet removed after posting` : '',
  ].filter(Boolean);

  return (
    <Card withBorder padding="lg" style={{ borderColor: 'var(--mantine-color-orange-5)', borderWidth: 2 }} data-testid="attention-card">
      <Group gap="sm" mb="sm" justify="space-between">
        <Group gap="sm">
          <ThemeIcon variant="filled" color="orange" size={32}><IconAlertTriangle size={18} /></ThemeIcon>
          <div>
            <Text fw={700}>Needs your attention</Text>
            <Text size="sm" c="dimmed">{parts.join(' · ')}</Text>
          </div>
        </Group>
        {jobs.length > 0 && <Button size="xs" variant="subtle" onClick={() => go('calendar')}>Open the calendar</Button>}
      </Group>
      <Stack gap="xs">
        {jobs.map((j) => (
          <JobItem key={j.id} job={j} onChanged={load} reconnect={reconnectNote(channels, j.channel)}
            heading={
              <Group gap={6} wrap="nowrap">
                <Text fw={600} size="sm" truncate>{firstLine(j.text) || 'Untitled post'}</Text>
                <Badge size="xs" variant="light" color="gray" tt="none">{whenIn(j.scheduledAt, j.zone) || 'now'}</Badge>
              </Group>
            }
            extra={Number(j.draftId) > 0 ? (
              <Button size="xs" variant="default" style={{ flexShrink: 0 }} onClick={() => go('drafts/' + j.draftId)}>Open the post</Button>
            ) : undefined}
          />
        ))}
        {leftovers.length > 0 && <Leftovers list={leftovers} onChange={setLeftovers} />}
      </Stack>
    </Card>
  );
}

/**
 * Images a host kept after their post went out (Instagram's unpublished
 * Page photo, the bucket's copy): patient images on someone else's
 * server, so the manager hears of them and can try again after fixing
 * the cause.
 */
function Leftovers({ list, onChange }: { list: LeftoverView[]; onChange: (l: LeftoverView[]) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const retry = async () => {
    setBusy(true);
    setError('');
    try {
      const left = (await removeHostedLeftovers()) ?? [];
      onChange(left);
      if (left.length > 0) setError('Some are still there. Follow the advice above, then try again.');
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap={6} data-testid="hosted-leftovers">
      {list.map((l) => (
        <div key={l.channel + l.where}>
          <Text fw={600} size="sm">
            {l.count} image{l.count === 1 ? '' : 's'} for {l.title} {l.count === 1 ? 'is' : 'are'} still {l.where === 'page' ? 'on your Facebook Page (unpublished, not shown to visitors)' : 'in the storage bucket'}, since {formatDay(l.since)}
          </Text>
          <Text size="sm">{l.advice}</Text>
        </div>
      ))}
      <Group gap="sm">
        <Button size="xs" variant="default" loading={busy} onClick={retry}>Try removing them again</Button>
        {error && <Text size="sm" c="red.8" role="alert">{error}</Text>}
      </Group>
    </Stack>
  );
}
