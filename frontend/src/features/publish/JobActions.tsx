import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Paper, Popover, Stack, Text, ThemeIcon } from '@mantine/core';
import {
  IconAlertTriangle, IconBan, IconBrandBluesky, IconBrandFacebook, IconBrandMastodon, IconCalendarEvent, IconCircleCheck,
  IconClockHour4, IconCloudCheck, IconExternalLink, IconLoader2, IconSend, IconX,
} from '@tabler/icons-react';
import { lookup } from '../../api/lookup';
import { cancelJob, publishJobNow, rescheduleJob } from '../../api/publish';
import { scheduleDraft } from '../../api/drafts';
import { toAppError } from '../../api/errors';
import type { ChannelView, JobView, PublishState } from '../../api/types';
import { dayIn, formatShortWhen } from '../../format';
import { PickDateField } from '../dates/PickDateField';
import { TimeField } from '../dates/TimeField';

export const platformIcons: Record<string, typeof IconBrandMastodon> = {
  facebook: IconBrandFacebook, mastodon: IconBrandMastodon, bluesky: IconBrandBluesky,
};
export const platformColors: Record<string, string> = { facebook: 'blue', mastodon: 'violet', bluesky: 'cyan' };

/** How each state reads on a badge, and how it is coloured. */
export const stateLook: Record<PublishState, { label: string; color: string; icon: typeof IconSend }> = {
  queued: { label: 'Scheduled', color: 'gray', icon: IconCalendarEvent },
  attempting: { label: 'Sending', color: 'blue', icon: IconLoader2 },
  published: { label: 'Live', color: 'teal', icon: IconCircleCheck },
  failed: { label: 'Not posted', color: 'red', icon: IconAlertTriangle },
  waiting: { label: 'Waiting', color: 'orange', icon: IconClockHour4 },
  missed: { label: 'Missed', color: 'orange', icon: IconAlertTriangle },
  scheduled_remote: { label: 'Scheduled on Facebook', color: 'blue', icon: IconCloudCheck },
  blocked: { label: 'Blocked', color: 'red', icon: IconBan },
  cancelled: { label: 'Cancelled', color: 'gray', icon: IconX },
};

/** Which state speaks for a post with several channels: the one needing the manager most. */
const urgency: PublishState[] = ['missed', 'failed', 'blocked', 'waiting', 'attempting', 'queued', 'scheduled_remote', 'published', 'cancelled'];
export function worstState(jobs: JobView[]): PublishState | '' {
  let best = -1;
  for (const j of jobs) {
    const i = urgency.findIndex((s) => s === j.state);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best < 0 ? '' : urgency[best];
}

/** Needs-reconnecting note for a channel, for the actions of its posts. */
export function reconnectNote(channels: ChannelView[], id: string): string | undefined {
  const c = channels.find((x) => x.id === id);
  if (c?.state === 'needs_reconnect') return `Reconnect ${c.title} under Channels first; then publish it.`;
  if (!c && channels.length > 0) return 'This account is no longer connected. Connect it under Channels first.';
  return undefined;
}

const none = (iso: string) => !iso || iso.startsWith('0001');

/** "Tue 14 Apr, 09:00" in the zone the post was planned in (the practice's). */
export function whenIn(iso: string, zone?: string): string {
  if (none(iso)) return '';
  try {
    return formatShortWhen(iso, zone || undefined);
  } catch {
    // A zone this computer does not know: its own zone is the nearest.
    return formatShortWhen(iso);
  }
}

function clockIn(iso: string, zone?: string): string {
  if (none(iso)) return '09:00';
  try {
    return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: zone || undefined });
  } catch {
    return '09:00';
  }
}

/** The state badge of one post on one channel. */
export function JobStateBadge({ job }: { job: JobView }) {
  const look = lookup(stateLook, job.state) ?? stateLook.queued;
  const Icon = look.icon;
  const label = job.state === 'queued' && job.native ? 'Handing to Facebook' : look.label;
  return (
    <Badge color={look.color} variant={job.state === 'missed' || job.state === 'failed' ? 'filled' : 'light'} leftSection={<Icon size={12} />}
      data-testid="job-state" tt="none">
      {label}
    </Badge>
  );
}

/** One sentence on what the state means for this post, and what the platform said. */
export function JobDetail({ job }: { job: JobView }) {
  const at = whenIn(job.scheduledAt, job.zone);
  let text: React.ReactNode = null;
  let tone = 'dimmed';
  switch (job.state) {
    case 'queued':
      text = job.nativeNote
        ? `Going to Facebook to be held for ${at}.`
        : at
          ? `Goes out ${at}. PracticePost sends it, so leave it running (closing the window is fine).`
          : 'Goes out in a moment.';
      break;
    case 'scheduled_remote':
      text = `Scheduled on Facebook for ${whenIn(job.remoteScheduledAt || job.scheduledAt, job.zone)}: it goes out even if this computer is off.`;
      tone = 'blue.8';
      break;
    case 'attempting':
      text = 'Being sent right now.';
      break;
    case 'published':
      text = (
        <>
          Live{none(job.publishedAt) ? '' : ` since ${whenIn(job.publishedAt, job.zone)}`}.{' '}
          {job.remoteUrl && (
            <Anchor href={job.remoteUrl} target="_blank" size="sm" data-testid="job-live-link">
              Open the post on {job.title} <IconExternalLink size={12} />
            </Anchor>
          )}
        </>
      );
      break;
    case 'waiting':
      text = job.errorKind === 'rate_limited' && !none(job.nextAt)
        ? `${job.title} is limiting how often PracticePost can post. Nothing is lost: it tries again by itself at ${whenIn(job.nextAt, job.zone)}.`
        : `${job.errorMessage || 'It will try again by itself.'}${none(job.nextAt) ? '' : ` Next try ${whenIn(job.nextAt, job.zone)}.`}`;
      tone = 'orange.9';
      break;
    case 'missed':
      text = `Due ${at}, while PracticePost was closed, so it was not sent. Publish it now, pick a new time, or cancel it.`;
      tone = 'orange.9';
      break;
    case 'failed':
      text = job.errorMessage || `${job.title} did not take the post.`;
      tone = 'red.8';
      break;
    case 'blocked':
      text = job.errorMessage || 'A patient consent this post relies on was withdrawn, so it will not go out.';
      tone = 'red.8';
      break;
    case 'cancelled':
      text = 'Cancelled: it will not go out.';
      break;
  }
  return (
    <Stack gap={2}>
      <Text size="sm" c={tone} data-testid="job-detail">{text}</Text>
      {job.platformMessage && !job.errorMessage.includes(job.platformMessage) && (job.state === 'failed' || job.state === 'waiting' || job.state === 'blocked') && (
        <Text size="xs" c="dimmed">{job.title} said: “{job.platformMessage}”</Text>
      )}
    </Stack>
  );
}

interface ActionsProps {
  job: JobView;
  onChanged?: (j?: JobView) => void;
  /** Set when the channel must be reconnected before anything can be sent. */
  reconnect?: string;
}

/**
 * Publish now / Set a new time / Cancel for one post on one channel, as the
 * queue allows them in its state. A new time moves the post in the calendar
 * (with every channel still waiting), so calendar and queue never disagree.
 */
export function JobActions({ job, onChanged, reconnect }: ActionsProps) {
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const [picking, setPicking] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [date, setDate] = useState(() => dayIn(job.zone || undefined, 1)); // tomorrow where the post is planned
  const [clock, setClock] = useState(() => clockIn(job.scheduledAt, job.zone));

  // A post the consent and privacy check stopped can be checked again once
  // the problem is fixed (a consent renewed, an image's source declared, a
  // hold released); one whose consent was withdrawn, or that Facebook held
  // and took down, is published again from the post instead.
  const recheckable = job.state === 'blocked' && (job.errorKind === 'gate_blocked' || job.errorKind === 'consent_on_hold') && !job.takedown;
  const canNow = (['missed', 'failed', 'waiting', 'queued'].includes(job.state) && !(job.state === 'queued' && none(job.scheduledAt))) || recheckable;
  const canMove = ['missed', 'failed', 'waiting', 'queued'].includes(job.state);
  const canCancel = ['queued', 'waiting', 'missed', 'failed', 'blocked', 'scheduled_remote'].includes(job.state);
  if (!canNow && !canMove && !canCancel) return null;

  const act = async (what: string, fn: () => Promise<JobView | undefined>) => {
    setBusy(what);
    setError('');
    try {
      const j = await fn();
      setPicking(false);
      setConfirm(false);
      onChanged?.(j);
    } catch (e) {
      setError(toAppError(e).message);
      // A refusal can change the post (the check marks it blocked, with
      // its reasons): show it as it now is.
      onChanged?.();
    } finally {
      setBusy('');
    }
  };

  const setNewTime = async (): Promise<JobView | undefined> => {
    const draft = Number(job.draftId);
    if (draft > 0) {
      try {
        // Scheduling the draft (again) runs the checks for the new moment
        // and moves it in the calendar; a post published "now" that failed
        // becomes a scheduled one.
        await scheduleDraft(draft, date, clock);
      } catch (e) {
        if (toAppError(e).code !== 'not_found') throw e;
        return rescheduleJob(job.id, date, clock);
      }
      // Moving the post takes its queued, waiting and missed channels with
      // it; a failed one is not waiting for a time, so it is set here.
      if (job.state === 'failed') return rescheduleJob(job.id, date, clock);
      return undefined;
    }
    return rescheduleJob(job.id, date, clock);
  };

  return (
    <Stack gap={6} data-testid="job-actions">
      <Group gap="xs">
        {canNow && (
          <Button size="xs" leftSection={<IconSend size={14} />} loading={busy === 'now'} disabled={!!reconnect || (!!busy && busy !== 'now')}
            onClick={() => act('now', () => publishJobNow(job.id))} data-testid="job-now">
            {recheckable ? 'Check again and publish' : 'Publish now'}
          </Button>
        )}
        {canMove && (
          <Button size="xs" variant="light" leftSection={<IconCalendarEvent size={14} />} disabled={!!busy}
            onClick={() => setPicking(!picking)} data-testid="job-new-time">
            Set a new time
          </Button>
        )}
        {canCancel && (
          <Popover opened={confirm} onChange={setConfirm} position="bottom" withArrow shadow="md">
            <Popover.Target>
              <Button size="xs" variant="subtle" color="red" disabled={!!busy} onClick={() => setConfirm(!confirm)} data-testid="job-cancel"
                aria-label={`Cancel this post on ${job.title}`}>
                Cancel this post
              </Button>
            </Popover.Target>
            <Popover.Dropdown>
              <Text size="sm" mb="xs">
                {job.state === 'scheduled_remote'
                  ? `Cancel this post? PracticePost removes it from ${job.title}'s schedule.`
                  : `Cancel this post on ${job.title}? It will not go out.`}
              </Text>
              <Group gap="xs" justify="flex-end">
                <Button size="xs" variant="default" onClick={() => setConfirm(false)}>Keep it</Button>
                <Button size="xs" color="red" loading={busy === 'cancel'} onClick={() => act('cancel', () => cancelJob(job.id))} data-testid="job-cancel-confirm">
                  Cancel the post
                </Button>
              </Group>
            </Popover.Dropdown>
          </Popover>
        )}
      </Group>
      {reconnect && canNow && <Text size="xs" c="red.8" data-testid="job-reconnect">{reconnect}</Text>}
      {picking && (
        <Paper withBorder p="xs" radius="sm" data-testid="job-new-time-form">
          <Group gap="xs" align="flex-end">
            <PickDateField size="xs" label="Day" value={date} onChange={setDate} testId="job-new-day" allow="today-on" zone={job.zone || undefined} />
            <TimeField size="xs" label="Time" zone={job.zone || undefined} value={clock} onChange={setClock} w={170} testId="job-new-clock" />
            <Button size="xs" disabled={!date || !clock} loading={busy === 'move'} onClick={() => act('move', setNewTime)} data-testid="job-new-time-save">
              Save new time
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mt={4}>The post moves in the calendar, with every channel still waiting to send it; the checks run again for the new day.</Text>
        </Paper>
      )}
      {/* A refusal the post now shows as its own reason is not said twice. */}
      {error && error !== job.errorMessage && <Alert color="red" p="xs" data-testid="job-action-error"><Text size="sm">{error}</Text></Alert>}
    </Stack>
  );
}

/** One post on one channel: platform, state, what it means, and the actions. */
export function JobItem({ job, heading, onChanged, reconnect, extra }: {
  job: JobView;
  heading?: React.ReactNode;
  onChanged?: (j?: JobView) => void;
  reconnect?: string;
  extra?: React.ReactNode;
}) {
  const Icon = platformIcons[job.platform] ?? IconSend;
  return (
    <Paper withBorder radius="md" p="sm" data-testid={`job-item-${job.platform}`} data-state={job.state}
      style={job.state === 'missed' ? { borderColor: 'var(--mantine-color-orange-5)' } : job.state === 'failed' ? { borderColor: 'var(--mantine-color-red-4)' } : undefined}>
      <Group justify="space-between" wrap="nowrap" align="flex-start" mb={6}>
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <ThemeIcon variant="light" color={platformColors[job.platform] ?? 'gray'} radius="md" size={30}><Icon size={18} /></ThemeIcon>
          <div style={{ minWidth: 0 }}>
            {heading ?? <Text fw={600} size="sm">{job.title}</Text>}
            <Text size="xs" c="dimmed" truncate>{heading ? `${job.title} · ${job.channelName}` : job.channelName}</Text>
          </div>
        </Group>
        <div style={{ flexShrink: 0 }}><JobStateBadge job={job} /></div>
      </Group>
      <JobDetail job={job} />
      <Group justify="space-between" align="flex-start" wrap="nowrap" mt={8} gap="xs">
        <JobActions job={job} onChanged={onChanged} reconnect={reconnect} />
        {extra}
      </Group>
    </Paper>
  );
}
