import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Paper, Progress, Stack, Text, ThemeIcon, Title,
} from '@mantine/core';
import {
  IconAlertTriangle, IconBrandBluesky, IconBrandFacebook, IconBrandGoogle, IconBrandInstagram, IconBrandLinkedin, IconBrandMastodon,
  IconBrandX, IconCalendarEvent, IconCircleCheck, IconClockHour4, IconExternalLink, IconSend,
} from '@tabler/icons-react';
import { listChannels, ChannelEvents } from '../../api/channels';
import { channelForPlatform, usePlatforms } from '../../api/platforms';
import { draftJobs, hostingNeeds, publishDraft, publishJobNow, rescheduleJob, cancelJob, PublishEvents } from '../../api/publish';
import type { HostingNeeds } from '../../api/publish';
import { HostingEvents } from '../../api/hosting';
import { GoogleTopicFields, emptyTopic } from './GoogleTopicFields';
import { imageLine, sizeNotes } from './channelImages';
import { onEvent } from '../../api/system';
import { toAppError } from '../../api/errors';
import type { PublishProgress } from '../../api/publish';
import type { ChannelCheck, ChannelView, GoogleTopic, JobView } from '../../api/types';
import { formatShortWhen, formatTime } from '../../format';
import { PickDateField } from '../dates/PickDateField';
import { TimeField } from '../dates/TimeField';

const icons: Record<string, typeof IconBrandMastodon> = {
  facebook: IconBrandFacebook, mastodon: IconBrandMastodon, bluesky: IconBrandBluesky, instagram: IconBrandInstagram, linkedin: IconBrandLinkedin,
  google: IconBrandGoogle, x: IconBrandX,
};
const colors: Record<string, string> = { facebook: 'blue', mastodon: 'violet', bluesky: 'cyan', instagram: 'pink', linkedin: 'indigo', google: 'green', x: 'dark' };

/** Steps of a post in the order they happen, for the progress bar. */
const steps = ['queued', 'uploading_image', 'creating_post', 'confirming', 'published'];
const stepLabel: Record<string, string> = {
  queued: 'Waiting to start',
  attempting: 'Starting',
  uploading_image: 'Uploading image',
  uploaded: 'Image uploaded',
  creating_post: 'Creating post',
  created: 'Creating post',
  confirming: 'Confirming',
  published: 'Live',
};

function when(iso: string): string {
  if (!iso || iso.startsWith('0001')) return '';
  return formatShortWhen(iso);
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

function JobRow({ job, live, onChanged }: { job: JobView; live?: PublishProgress; onChanged: () => void }) {
  const Icon = icons[job.platform] ?? IconSend;
  const step = live && live.jobId === job.id ? live.step : job.state === 'published' ? 'published' : job.state;
  const waiting = job.state === 'waiting';
  const now = useNow(waiting);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const [date, setDate] = useState('');
  const [clock, setClock] = useState('09:00');
  const act = async (what: string, fn: () => Promise<unknown>) => {
    setBusy(what);
    setError('');
    try {
      await fn();
      onChanged();
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy('');
    }
  };
  const idx = steps.indexOf(step === 'uploaded' ? 'uploading_image' : step === 'created' ? 'creating_post' : step);
  const inFlight = job.state === 'attempting' || (job.state === 'queued' && idx > 0) || (idx > 0 && idx < 4 && job.state !== 'published');
  const scheduledFor = when(job.scheduledAt);
  const retryIn = waiting && job.nextAt ? Math.max(0, Math.round((new Date(job.nextAt).getTime() - now) / 1000)) : 0;

  let status: React.ReactNode;
  if (job.state === 'published') {
    status = (
      <Group gap={6}>
        <Badge color="teal" leftSection={<IconCircleCheck size={12} />}>Live</Badge>
        {job.remoteUrl && <Anchor href={job.remoteUrl} target="_blank" size="sm" data-testid="live-link">Open the post on {job.title} <IconExternalLink size={12} /></Anchor>}
      </Group>
    );
  } else if (job.state === 'scheduled_remote') {
    status = <Badge color="blue" leftSection={<IconCalendarEvent size={12} />}>Held by Facebook for {when(job.remoteScheduledAt || job.scheduledAt)}</Badge>;
  } else if (waiting) {
    status = <Badge color="orange" leftSection={<IconClockHour4 size={12} />} data-testid="waiting-badge">Waiting: tries again {retryIn > 0 ? `in ${retryIn} s` : 'now'}</Badge>;
  } else if (job.state === 'failed') {
    status = <Badge color="red" leftSection={<IconAlertTriangle size={12} />}>Not posted</Badge>;
  } else if (job.state === 'missed') {
    status = <Badge color="orange" leftSection={<IconAlertTriangle size={12} />}>Missed</Badge>;
  } else if (job.state === 'blocked') {
    status = <Badge color="red">Blocked: consent withdrawn</Badge>;
  } else if (job.state === 'cancelled') {
    status = <Badge color="gray">Cancelled</Badge>;
  } else if (job.state === 'queued' && scheduledFor && !inFlight) {
    status = <Badge color="gray" leftSection={<IconCalendarEvent size={12} />}>Scheduled for {scheduledFor}</Badge>;
  } else {
    status = <Badge color="blue" variant="light" leftSection={<Loader size={10} />}>{stepLabel[step] ?? 'Sending'}</Badge>;
  }

  return (
    <Paper withBorder radius="md" p="sm" data-testid={`job-${job.platform}`} data-state={job.state}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <ThemeIcon variant="light" color={colors[job.platform] ?? 'gray'} radius="md" size={34}><Icon size={20} /></ThemeIcon>
          <div style={{ minWidth: 0 }}>
            <Text fw={600} size="sm">{job.title}</Text>
            <Text size="xs" c="dimmed" truncate>{job.channelName}</Text>
          </div>
        </Group>
        {status}
      </Group>
      {/* A live post needs only its link: the finished steps would push the other channels out of sight. */}
      {inFlight && job.state !== 'published' && (
        <>
          <Progress mt="sm" size="sm" radius="xl" value={Math.max(10, (idx / 4) * 100)} color="blue" animated aria-label="Progress of this post" />
          <Group gap="lg" mt={4}>
            {['uploading_image', 'creating_post', 'confirming'].map((s, i) => (
              <Text key={s} size="xs" c={idx > i + 1 ? 'teal.8' : idx === i + 1 ? 'blue.8' : 'dimmed'} fw={idx === i + 1 ? 600 : 400}>
                {stepLabel[s]}
              </Text>
            ))}
          </Group>
        </>
      )}
      {job.nativeNote && job.state !== 'published' && <Text size="xs" c="blue.8" mt="xs" data-testid="native-note">{job.nativeNote}</Text>}
      {(waiting || job.state === 'failed' || job.state === 'missed' || job.state === 'blocked') && job.errorMessage && (
        <Alert mt="sm" variant="light" color={waiting ? 'orange' : 'red'} p="xs" data-testid="job-message">
          <Text size="sm">
            {waiting && job.errorKind === 'rate_limited' && job.nextAt
              ? `${job.title} is limiting how often PracticePost can post right now. Nothing is lost: it tries again by itself at ${formatTime(job.nextAt)}.`
              : job.errorMessage}
          </Text>
          {job.platformMessage && <Text size="xs" c="dimmed" mt={4}>{job.title} said: “{job.platformMessage}”</Text>}
        </Alert>
      )}
      {(job.state === 'failed' || job.state === 'missed' || waiting) && (
        <Group gap="xs" mt="sm" align="flex-end">
          <Button size="xs" leftSection={<IconSend size={14} />} loading={busy === 'now'} onClick={() => act('now', () => publishJobNow(job.id))} data-testid="job-publish-now">
            Publish now
          </Button>
          {job.state !== 'waiting' && (
            <>
              <PickDateField size="xs" label="New day" value={date} onChange={setDate} allow="today-on" zone={job.zone || undefined} testId="job-row-new-day" />
              <TimeField size="xs" label="Time" zone={job.zone || undefined} value={clock} onChange={setClock} w={120} />
              <Button size="xs" variant="light" disabled={!date} loading={busy === 'new'} onClick={() => act('new', () => rescheduleJob(job.id, date, clock))}>Set new time</Button>
            </>
          )}
          <Button size="xs" variant="subtle" color="gray" loading={busy === 'cancel'} onClick={() => act('cancel', () => cancelJob(job.id))}>Cancel</Button>
        </Group>
      )}
      {(job.state === 'failed' || job.state === 'missed') && !date && <Text size="xs" c="dimmed" mt={4}>Set new time: choose the new day first.</Text>}
      {error && <Alert mt="xs" color="red" p="xs">{error}</Alert>}
    </Paper>
  );
}

interface Props {
  draftId: number;
  /** The platforms the draft is written for ("mastodon", ...). */
  platforms: string[];
  /** Why publishing is not possible right now; "" when it is. */
  reason?: string;
  zone?: string;
  /** The last check's channels: what each channel's post carries (a design in its platform's size). */
  checks?: ChannelCheck[];
  onDone?: () => void;
}

/** Publish now / Schedule for a draft, and each channel's progress. */
export function PublishPanel({ draftId, platforms, reason = '', zone, checks = [], onDone }: Props) {
  const [channels, setChannels] = useState<ChannelView[]>([]);
  const descriptors = usePlatforms();
  const [picked, setPicked] = useState<string[] | null>(null);
  const [jobs, setJobs] = useState<JobView[]>([]);
  const [live, setLive] = useState<Record<number, PublishProgress>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');
  const [date, setDate] = useState('');
  const [clock, setClock] = useState('09:00');
  const [needs, setNeeds] = useState<HostingNeeds | null>(null);
  const [topic, setTopic] = useState<GoogleTopic>(emptyTopic);
  const [textOnly, setTextOnly] = useState(false);
  const [lastClick, setLastClick] = useState<number[]>([]);
  const progressRef = useRef<HTMLDivElement>(null);
  // After a click the progress is what matters: bring it into view.
  useEffect(() => {
    if (lastClick.length) progressRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [lastClick]);
  const [fieldError, setFieldError] = useState<{ field?: string; message: string } | null>(null);

  const loadNeeds = useCallback(() => {
    hostingNeeds(draftId).then(setNeeds).catch(() => setNeeds(null));
  }, [draftId]);
  const loadJobs = useCallback(() => {
    draftJobs(draftId).then((js) => setJobs(js ?? [])).catch((e) => setError(toAppError(e).message));
  }, [draftId]);
  const loadChannels = useCallback(() => {
    listChannels().then((cs) => setChannels(cs ?? [])).catch(() => setChannels([]));
  }, []);
  useEffect(() => {
    loadJobs();
    loadChannels();
    const offs = [
      onEvent(PublishEvents.progress, (p) => {
        if (p.draftId !== String(draftId)) return;
        setLive((m) => ({ ...m, [p.jobId]: p }));
        loadJobs();
      }),
      onEvent(ChannelEvents.changed, loadChannels),
      onEvent(HostingEvents.changed, loadNeeds),
    ];
    loadNeeds();
    return () => offs.forEach((off) => off());
  }, [draftId, loadJobs, loadChannels, loadNeeds]);

  const usable = useMemo(
    () => channels.filter((c) => platforms.includes(channelForPlatform(descriptors, c.platform))),
    [channels, platforms, descriptors],
  );
  // Instagram cannot take a post it has no image (or no bucket) for: it is left unticked, with the reason.
  const blocked = (c: ChannelView) => c.state === 'needs_reconnect' || (c.platform === 'instagram' && !!needs?.instagram);
  const chosen = picked ?? usable.filter((c) => !blocked(c)).map((c) => c.id);
  const googleChosen = usable.some((c) => c.platform === 'google' && chosen.includes(c.id));
  // Google without its photo goes as a request of its own, made in the same click: show both together.
  const latest = jobs.length ? jobs[0].requestId : 0;
  const currentIds = lastClick.length ? lastClick : [latest];
  const current = jobs.filter((j) => currentIds.includes(j.requestId));
  // A request still on its way (or live) must not be sent a second time by a stray click.
  const underway = current.some((j) => ['queued', 'attempting', 'waiting', 'published', 'scheduled_remote'].includes(j.state));
  const older = jobs.filter((j) => !currentIds.includes(j.requestId));

  const go = async (scheduled: boolean) => {
    setBusy(scheduled ? 'schedule' : 'now');
    setError('');
    try {
      const r = await publishDraft({
        draftId, channels: chosen, date: scheduled ? date : '', clock: scheduled ? clock : '',
        google: googleChosen && (topic.type !== 'STANDARD' || topic.action) ? topic : null, googleTextOnly: googleChosen && textOnly,
      });
      setFieldError(null);
      const ids = [...new Set((r.jobs ?? []).map((j) => j.requestId))];
      setLastClick(ids);
      setJobs((js) => [...(r.jobs ?? []), ...js.filter((j) => !ids.includes(j.requestId))]);
      onDone?.();
    } catch (e) {
      const err = toAppError(e);
      if (err.field?.startsWith('google')) setFieldError(err);
      else setError(err.message);
    } finally {
      setBusy('');
    }
  };

  return (
    <Paper withBorder p="md" radius="md" data-testid="publish-panel">
      <Title order={2} size="h4" mb="xs">Publish</Title>
      {usable.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">No connected account for {platforms.length ? platforms.join(', ') : 'this post'} yet. Connect one under Channels.</Text>
      ) : (
        <Stack gap={4} mb="sm">
          {usable.map((c) => (
            <Checkbox key={c.id} label={`${c.title}: ${c.handle || c.name}${c.state === 'needs_reconnect' ? ' (needs reconnecting)' : ''}`}
              description={imageLine(checks, channelForPlatform(descriptors, c.platform))}
              checked={chosen.includes(c.id)} disabled={blocked(c)} data-testid={`pick-${c.platform}`}
              onChange={(e) => setPicked(e.currentTarget.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id))} />
          ))}
        </Stack>
      )}
      {/* A design that has not kept the size a platform takes goes in the closest one: said here, never silently. */}
      {sizeNotes(checks, usable.filter((c) => chosen.includes(c.id)).map((c) => channelForPlatform(descriptors, c.platform))).map((k) => (
        <Alert key={k.channel} color="orange" variant="light" p="xs" mb="sm" data-testid={`publish-size-note-${k.channel}`}><Text size="sm">{k.sizeNote}</Text></Alert>
      ))}
      {needs?.instagram && usable.some((c) => c.platform === 'instagram') && (
        <Alert color="orange" variant="light" p="xs" mb="sm" data-testid="instagram-needs"><Text size="sm">{needs.instagram}</Text></Alert>
      )}
      {needs?.google && googleChosen && !underway && (
        <Alert color="orange" variant="light" p="xs" mb="sm" data-testid="google-needs">
          <Text size="sm">{needs.google}</Text>
          <Checkbox mt={6} size="xs" label="Send to Google without the photo" checked={textOnly} onChange={(e) => setTextOnly(e.currentTarget.checked)}
            data-testid="google-text-only" error={fieldError?.field === 'googleTextOnly' ? fieldError.message : undefined} />
        </Alert>
      )}
      {googleChosen && !underway && (
        <div style={{ marginBottom: 12 }}>
          <GoogleTopicFields value={topic} onChange={setTopic} error={fieldError?.field?.startsWith('google.') || fieldError?.field === 'google' ? fieldError.message : undefined} />
        </div>
      )}
      <Group align="flex-end" gap="sm">
        <Button leftSection={<IconSend size={16} />} onClick={() => go(false)} loading={busy === 'now'} disabled={!!reason || underway || chosen.length === 0 || !!busy} data-testid="publish-now">
          Publish now
        </Button>
        <PickDateField label="Day" value={date} onChange={setDate} testId="publish-day" allow="today-on" zone={zone} />
        <TimeField label="Time" zone={zone} value={clock} onChange={setClock} w={190} testId="publish-time" />
        <Button variant="light" leftSection={<IconCalendarEvent size={16} />} onClick={() => go(true)} loading={busy === 'schedule'}
          disabled={!!reason || underway || chosen.length === 0 || !date || !!busy} data-testid="publish-schedule">
          Schedule
        </Button>
      </Group>
      {reason && <Text size="xs" c="dimmed" mt="xs">{reason}</Text>}
      {!reason && !underway && chosen.length > 0 && !date && <Text size="xs" c="dimmed" mt="xs" data-testid="schedule-why">Schedule: choose a day first.</Text>}
      {!reason && underway && <Text size="xs" c="dimmed" mt="xs" data-testid="publish-underway">This post is on its way or already live; each channel’s progress is below.</Text>}
      {error && <Alert mt="sm" color="red" data-testid="publish-error">{error}</Alert>}
      {current.length > 0 && (
        <Stack gap="xs" mt="md" data-testid="publish-progress" ref={progressRef}>
          {current.map((j) => <JobRow key={j.id} job={j} live={live[j.id]} onChanged={loadJobs} />)}
        </Stack>
      )}
      {older.length > 0 && (
        <Stack gap="xs" mt="md">
          <Text size="xs" c="dimmed">Earlier</Text>
          {older.map((j) => <JobRow key={j.id} job={j} onChanged={loadJobs} />)}
        </Stack>
      )}
    </Paper>
  );
}
