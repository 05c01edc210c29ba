import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, Select, Stack, Tabs, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBulb, IconCalendar, IconDeviceDesktop, IconHeartbeat, IconPlus, IconTrash } from '@tabler/icons-react';
import FullCalendar from '@fullcalendar/react';
import dayGridPlugin from '@fullcalendar/daygrid';
import timeGridPlugin from '@fullcalendar/timegrid';
import interactionPlugin from '@fullcalendar/interaction';
import enGbLocale from '@fullcalendar/core/locales/en-gb';
import type { EventDropArg, EventInput, EventClickArg, DatesSetArg, EventContentArg } from '@fullcalendar/core';
import { lookup } from '../../api/lookup';
import { awarenessYear, calendarRange, calendarSettings, deleteIdea, DraftEvents, listIdeas, saveIdea } from '../../api/calendar';
import { createDraft, moveDraft } from '../../api/drafts';
import { toAppError } from '../../api/errors';
import { onEvent } from '../../api/system';
import { draftJobs, PublishEvents } from '../../api/publish';
import { ChannelEvents, listChannels } from '../../api/channels';
import type { AwarenessView, CalendarPost, CalendarSettings, ChannelView, Idea, JobView } from '../../api/types';
import { platformIcons, stateLook, worstState } from '../publish/JobActions';
import { pillarColors, pillarHex } from './colors';
import { computerOnText } from './computerOn';
import './calendar.css';
import { PostPanel } from './PostPanel';
import { formatDay, formatDayRange, practiceCountry } from '../../format';

interface Props {
  route: string[];
  go: (to: string) => void;
}

// The calendar shows the practice's wall-clock time whatever this computer's
// zone: the backend sends "2026-03-30T09:00" in the practice zone and
// FullCalendar runs in UTC, so nothing is converted twice.
const asUTC = (local: string) => local + ':00Z';
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
// A post is a moment: it is drawn an hour long (FullCalendar's default) but
// never past its own day, or a post at 23:30 would show on the next day too.
const postEnd = (local: string) => new Date(Math.min(Date.parse(asUTC(local)) + 3600000, Date.parse(local.slice(0, 10) + 'T23:59:59Z'))).toISOString();

export function CalendarPage({ route, go }: Props) {
  const tab = route[1] ?? 'month';
  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">Calendar</Title>
        <Text c="dimmed">Plan the month, drag posts between days, and find something to say on awareness days.</Text>
      </div>
      <Tabs value={tab} onChange={(t) => t && go('calendar/' + t)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="month" leftSection={<IconCalendar size={16} />}>Calendar</Tabs.Tab>
          <Tabs.Tab value="awareness" leftSection={<IconHeartbeat size={16} />}>Awareness days</Tabs.Tab>
          <Tabs.Tab value="ideas" leftSection={<IconBulb size={16} />}>Ideas library</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="month"><PostCalendar go={go} /></Tabs.Panel>
        <Tabs.Panel value="awareness"><AwarenessList go={go} /></Tabs.Panel>
        <Tabs.Panel value="ideas"><IdeasLibrary go={go} /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

async function postForDay(a: AwarenessView, day: string, go: (to: string) => void) {
  try {
    const v = await createDraft({
      title: a.name,
      body: a.idea,
      hashtags: a.hashtags ?? [],
      pillar: 'tip',
      localTime: day + 'T09:00',
      awarenessId: a.id,
    });
    go('drafts/' + v.draft.id);
  } catch (e) {
    notifications.show({ color: 'red', message: toAppError(e).message });
  }
}

/** Each channel's newest post of a draft (Jobs lists newest request first). */
function latestPerChannel(jobs: JobView[]): JobView[] {
  const seen = new Set<string>();
  const out: JobView[] = [];
  for (const j of jobs) {
    if (seen.has(j.channel)) continue;
    seen.add(j.channel);
    out.push(j);
  }
  return out;
}

/** A post's tile: time, title and one chip per channel saying where it stands. */
function PostTile({ arg }: { arg: EventContentArg }) {
  const jobs = (arg.event.extendedProps.jobs ?? []) as JobView[];
  return (
    <div className="pp-ev" title={arg.event.title}>
      <div className="pp-ev-head">
        {arg.timeText && <span className="pp-ev-time">{arg.timeText}</span>}
        <span className="pp-ev-title">{arg.event.title}</span>
      </div>
      {jobs.length > 0 && (
        <div className="pp-ev-states">
          {jobs.map((j) => {
            const P = platformIcons[j.platform];
            const S = lookup(stateLook, j.state)?.icon;
            return (
              <span key={j.id} className={'pp-chip pp-chip-' + j.state} data-testid="post-chip" data-state={j.state} data-platform={j.platform}
                title={`${j.title}: ${lookup(stateLook, j.state)?.label ?? j.state}`}>
                {P && <P size={11} />}
                {S && <S size={11} />}
                <span className="pp-chip-text">{chipText[j.state]}</span>
              </span>
            );
          })}
        </div>
      )}
    </div>
  );
}

const alarmColors = {
  missed: { bg: '#fff4e6', border: '#e8590c', text: '#a63c06' },
  failed: { bg: '#fff5f5', border: '#e03131', text: '#a51111' },
};


const chipText: Record<string, string> = {
  queued: 'Scheduled', attempting: 'Sending', published: 'Live', failed: 'Failed', waiting: 'Waiting', missed: 'MISSED',
  scheduled_remote: 'On Facebook', blocked: 'Blocked', cancelled: 'Cancelled',
};

function ComputerOnNote({ channels }: { channels: ChannelView[] }) {
  const text = computerOnText(channels.map((c) => c.platform));
  if (!text) return null;
  return (
    <Alert color="blue" variant="light" p="xs" icon={<IconDeviceDesktop size={16} />} data-testid="calendar-computer-on">
      <Text size="sm">{text}</Text>
    </Alert>
  );
}

function PostCalendar({ go }: { go: (to: string) => void }) {
  const [settings, setSettings] = useState<CalendarSettings | null>(null);
  const [events, setEvents] = useState<EventInput[]>([]);
  const [error, setError] = useState('');
  const [day, setDay] = useState<AwarenessView | null>(null);
  const [viewType, setViewType] = useState('dayGridMonth');
  const [jobs, setJobs] = useState<Record<number, JobView[]>>({});
  const [channels, setChannels] = useState<ChannelView[]>([]);
  const [open, setOpen] = useState<CalendarPost | null>(null);
  const range = useRef<{ from: string; to: string } | null>(null);

  const load = useCallback(() => {
    const r = range.current;
    if (!r) return;
    calendarRange(r.from, r.to)
      .then(async (res) => {
        // Where each post stands on each channel. A post never sent to the
        // queue has no jobs and keeps its plain draft/scheduled look.
        const found: Record<number, JobView[]> = {};
        await Promise.all(res.posts.map((p) => draftJobs(p.id)
          .then((js) => { found[p.id] = latestPerChannel(js ?? []); })
          .catch(() => { found[p.id] = []; })));
        setJobs(found);
        const evs: EventInput[] = [];
        for (const a of res.awareness) {
          // Days for other specialties stay in the Awareness days list; a
          // month-long campaign is marked on its first day rather than
          // painting a band across every week.
          if (!a.relevant) continue;
          const long = Date.parse(a.end) - Date.parse(a.start) > 7 * 86400000;
          evs.push({
            id: 'a:' + a.id + a.start,
            title: long ? `${a.name} (until ${formatDay(a.end)})` : a.name,
            start: a.start,
            end: long ? undefined : dayOf(new Date(Date.parse(a.end + 'T00:00:00Z') + 86400000)),
            allDay: true,
            editable: false,
            classNames: ['pp-aware', a.relevant ? 'pp-aware-relevant' : 'pp-aware-other'],
            extendedProps: { awareness: a },
          });
        }
        for (const p of res.posts) {
          const js = found[p.id] ?? [];
          const worst = worstState(js);
          // A post being sent or already live stays where it is.
          const fixed = p.status === 'published' || js.some((j) => j.state === 'attempting' || j.state === 'published');
          // A missed or refused post is painted in its warning colour, not its pillar's.
          const alarm = worst === 'missed' ? alarmColors.missed : worst === 'failed' ? alarmColors.failed : null;
          const filled = p.status === 'scheduled' || p.status === 'published';
          evs.push({
            id: 'p:' + p.id,
            title: p.title,
            start: asUTC(p.start),
            end: postEnd(p.start),
            allDay: false,
            editable: !fixed,
            backgroundColor: alarm?.bg ?? (filled ? pillarHex(p.pillar) : '#ffffff'),
            borderColor: alarm?.border ?? pillarHex(p.pillar),
            textColor: alarm?.text ?? (filled ? '#ffffff' : pillarHex(p.pillar)),
            classNames: ['pp-post', 'pp-post-' + p.status, ...(worst ? ['pp-state-' + worst] : [])],
            extendedProps: { post: p, jobs: js },
          });
        }
        setEvents(evs);
        setError('');
      })
      .catch((e) => setError(toAppError(e).message));
  }, []);

  const loadChannels = useCallback(() => {
    listChannels().then((cs) => setChannels(cs ?? [])).catch(() => setChannels([]));
  }, []);

  useEffect(() => {
    calendarSettings().then(setSettings).catch((e) => setError(toAppError(e).message));
    loadChannels();
    // Progress arrives in bursts (uploading, creating, confirming): reload once per burst.
    let t: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(t);
      t = setTimeout(load, 250);
    };
    const offs = [onEvent(DraftEvents.changed, load), onEvent(PublishEvents.progress, soon), onEvent(ChannelEvents.changed, loadChannels)];
    return () => {
      clearTimeout(t);
      offs.forEach((off) => off());
    };
  }, [load, loadChannels]);

  // FullCalendar reports the dates again whenever its options are re-read,
  // not only when the user pages. Reloading then replaced the events under a
  // post being dragged, and the drop was lost; so only a new range reloads.
  const datesSet = (arg: DatesSetArg) => {
    const next = { from: dayOf(arg.start), to: dayOf(arg.end) };
    setViewType(arg.view.type);
    if (range.current && range.current.from === next.from && range.current.to === next.to) return;
    range.current = next;
    load();
  };
  const us = practiceCountry() === 'US';
  // Options built once per country, so a re-render hands FullCalendar the same
  // objects and it has nothing to re-read.
  const fixed = useMemo(() => ({
    plugins: [dayGridPlugin, timeGridPlugin, interactionPlugin],
    locales: [enGbLocale],
    headerToolbar: { left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek' },
    buttonText: { prev: '‹ Back', next: 'Next ›', today: 'Today', month: 'Month', week: 'Week' },
    timeFormat: { hour: '2-digit', minute: '2-digit', hour12: us } as const,
  }), [us]);

  const drop = async (arg: EventDropArg) => {
    const p = arg.event.extendedProps.post;
    if (!p || !arg.event.start) return arg.revert();
    try {
      const v = await moveDraft(p.id, dayOf(arg.event.start), arg.event.start.toISOString().slice(11, 16));
      notifications.show({ color: 'teal', message: `Moved to ${v.whenLabel}.` });
      load();
    } catch (e) {
      arg.revert();
      notifications.show({ color: 'red', title: 'Not moved', message: toAppError(e).message });
    }
  };

  const click = (arg: EventClickArg) => {
    const p = arg.event.extendedProps.post as CalendarPost | undefined;
    // A post in the queue opens its publishing panel; a plain draft opens the editor.
    if (p) return (jobs[p.id] ?? []).length > 0 ? setOpen(p) : go('drafts/' + p.id);
    const a = arg.event.extendedProps.awareness as AwarenessView | undefined;
    if (a) setDay(a);
  };

  return (
    <Stack gap="sm">
      {error && <Alert color="red">{error}</Alert>}
      {/* One short line: the colours are the kind of post; each post's chips
          say in words where it stands, so they need no key of their own. */}
      <Group justify="space-between" gap="xs" data-testid="calendar-legend">
        <Group gap={10}>
          {Object.entries(pillarColors).map(([k, c]) => (
            <Group key={k} gap={4} wrap="nowrap">
              <span className="pp-legend-dot" style={{ background: c.hex }} />
              <Text size="xs">{c.label}</Text>
            </Group>
          ))}
          <Text size="xs" c="dimmed">Outlined: draft · filled: scheduled or published</Text>
        </Group>
        <Text size="xs" c="dimmed" data-testid="calendar-zone">Times in {settings?.zoneLabel ?? '…'}</Text>
      </Group>
      <Text size="xs" c="dimmed">Click a post to open it, publish it now, give it a new time or cancel it.</Text>
      <ComputerOnNote channels={channels} />
      <Card withBorder padding="sm" data-testid="calendar">
        <FullCalendar
          plugins={fixed.plugins}
          initialView="dayGridMonth"
          timeZone="UTC"
          // Day headers and titles in the practice's order ("Mon 7/12" in the UK).
          locales={fixed.locales}
          locale={us ? 'en' : 'en-gb'}
          firstDay={1}
          height={viewType === 'timeGridWeek' ? 720 : 'auto'}
          scrollTime="07:30:00"
          eventDisplay="block"
          headerToolbar={fixed.headerToolbar}
          // Words, not FullCalendar's icon font (the page's font policy does
          // not load it, so the arrows showed as empty boxes).
          buttonIcons={false}
          buttonText={fixed.buttonText}
          eventMinHeight={40}
          eventTimeFormat={fixed.timeFormat}
          slotLabelFormat={fixed.timeFormat}
          dayMaxEvents={6}
          events={events}
          editable
          eventDurationEditable={false}
          datesSet={datesSet}
          eventDrop={drop}
          eventClick={click}
          eventContent={(arg) => (arg.event.extendedProps.post ? <PostTile arg={arg} /> : true /* FullCalendar's own tile */)}
          // FullCalendar names each day cell by its day number alone, so a
          // screen reader heard "7" for a cell that also lists posts (axe:
          // label-content-name-mismatch). Without it the cell is named by
          // everything it shows, the day number first.
          dayCellDidMount={(arg) => arg.el.removeAttribute('aria-labelledby')}
        />
      </Card>
      <PostPanel post={open} jobs={open ? jobs[open.id] ?? [] : []} channels={channels} onClose={() => setOpen(null)} go={go} onChanged={load} />
      <Modal opened={!!day} onClose={() => setDay(null)} title={day?.name}>
        {day && (
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {formatDayRange(day.start, day.end)}
              {day.organiser ? ` · ${day.organiser}` : ''}
            </Text>
            <Text size="sm">{day.about}</Text>
            <Card withBorder padding="sm"><Text size="sm"><b>Idea:</b> {day.idea}</Text></Card>
            <Button leftSection={<IconPlus size={16} />} onClick={() => postForDay(day, day.start, go)}>Create a post for this day</Button>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}


function AwarenessList({ go }: { go: (to: string) => void }) {
  const [year, setYear] = useState(new Date().getFullYear());
  const [days, setDays] = useState<AwarenessView[] | null>(null);
  const [error, setError] = useState('');
  const [onlyMine, setOnlyMine] = useState(true);
  useEffect(() => {
    awarenessYear(year).then(setDays).catch((e) => setError(toAppError(e).message));
  }, [year]);
  const shown = (days ?? []).filter((d) => !onlyMine || d.relevant);
  return (
    <Stack gap="sm">
      <Group>
        <Select data={[year - 1, year, year + 1].map(String)} value={String(year)} onChange={(v) => v && setYear(Number(v))} w={110} aria-label="Year" />
        <Button variant={onlyMine ? 'light' : 'subtle'} onClick={() => setOnlyMine(!onlyMine)}>
          {onlyMine ? 'Showing days for your specialties' : 'Showing every day'}
        </Button>
        <Text size="xs" c="dimmed">Set your specialties in Settings → Calendar. Dates for moving days are worked out for {year}.</Text>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      <Stack gap="xs">
        {shown.map((d) => (
          <Card key={d.id + d.start} withBorder padding="sm">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div>
                <Group gap={6}>
                  <Text fw={600}>{d.name}</Text>
                  <Badge variant="light" color="gray">{formatDayRange(d.start, d.end)}</Badge>
                  {d.specialties.map((s) => <Badge key={s} size="xs" variant="outline">{s}</Badge>)}
                </Group>
                <Text size="sm" c="dimmed">{d.about}</Text>
                <Text size="sm">{d.idea}</Text>
              </div>
              <Button size="xs" variant="light" onClick={() => postForDay(d, d.start, go)}>Create a post for this day</Button>
            </Group>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}

const specialtyData = [
  { value: 'dental', label: 'Dental' },
  { value: 'physio', label: 'Physiotherapy' },
  { value: 'gp', label: 'GP' },
  { value: 'aesthetics', label: 'Aesthetics' },
];
const pillarData = Object.entries(pillarColors).map(([value, c]) => ({ value, label: c.label }));

function IdeasLibrary({ go }: { go: (to: string) => void }) {
  const [ideas, setIdeas] = useState<Idea[] | null>(null);
  const [filter, setFilter] = useState<string | null>(null);
  const [edit, setEdit] = useState<Idea | null>(null);
  const [error, setError] = useState('');
  const [fieldError, setFieldError] = useState<{ field?: string; message: string } | null>(null);
  const load = () => listIdeas().then(setIdeas).catch((e) => setError(toAppError(e).message));
  useEffect(() => {
    load();
  }, []);
  const use = async (i: Idea) => {
    try {
      const v = await createDraft({ title: i.title, body: i.text, hashtags: i.hashtags ?? [], pillar: i.pillar });
      go('drafts/' + v.draft.id);
    } catch (e) {
      notifications.show({ color: 'red', message: toAppError(e).message });
    }
  };
  const save = async () => {
    if (!edit) return;
    try {
      await saveIdea(edit);
      setEdit(null);
      setFieldError(null);
      load();
    } catch (e) {
      setFieldError(toAppError(e));
    }
  };
  const remove = async (i: Idea) => {
    try {
      await deleteIdea(i.id);
      load();
    } catch (e) {
      notifications.show({ color: 'red', message: toAppError(e).message });
    }
  };
  const shown = (ideas ?? []).filter((i) => !filter || i.specialty === filter);
  return (
    <Stack gap="sm">
      <Group>
        <Select placeholder="All specialties" data={specialtyData} value={filter} onChange={setFilter} clearable w={200} aria-label="Specialty" />
        <Button variant="light" leftSection={<IconPlus size={16} />}
          onClick={() => setEdit({ id: 0, sourceId: '', specialty: filter ?? 'dental', pillar: 'tip', title: '', text: '', hashtags: [] })}>
          Add an idea
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {shown.map((i) => (
        <Card key={i.id} withBorder padding="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div style={{ minWidth: 0 }}>
              <Group gap={6}>
                <Text fw={600}>{i.title}</Text>
                <Badge size="xs" variant="outline">{i.specialty}</Badge>
                <Badge size="xs" color={pillarColors[i.pillar]?.name} variant="light">{pillarColors[i.pillar]?.label}</Badge>
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{i.text}</Text>
            </div>
            <Group gap={4} wrap="nowrap">
              <Button size="xs" onClick={() => use(i)}>Use</Button>
              <Button size="xs" variant="subtle" onClick={() => setEdit(i)}>Edit</Button>
              <Button size="xs" variant="subtle" color="red" onClick={() => remove(i)} aria-label={`Delete ${i.title}`}><IconTrash size={14} /></Button>
            </Group>
          </Group>
        </Card>
      ))}
      <Modal opened={!!edit} onClose={() => setEdit(null)} title={edit?.id ? 'Edit idea' : 'New idea'} size="lg">
        {edit && (
          <Stack gap="sm">
            <TextInput label="Title" value={edit.title} onChange={(e) => setEdit({ ...edit, title: e.currentTarget.value })}
              error={fieldError?.field === 'title' ? fieldError.message : undefined} />
            <Group grow>
              <Select label="Specialty" data={specialtyData} value={edit.specialty} onChange={(v) => v && setEdit({ ...edit, specialty: v })} />
              <Select label="Pillar" data={pillarData} value={edit.pillar} onChange={(v) => v && setEdit({ ...edit, pillar: v })} />
            </Group>
            <Textarea label="Starter text" autosize minRows={4} value={edit.text} onChange={(e) => setEdit({ ...edit, text: e.currentTarget.value })}
              error={fieldError?.field === 'text' ? fieldError.message : undefined} />
            <TagsInput label="Hashtags" value={edit.hashtags ?? []} onChange={(v) => setEdit({ ...edit, hashtags: v })}
              error={fieldError?.field === 'hashtags' ? fieldError.message : undefined} />
            {fieldError && !['title', 'text', 'hashtags'].includes(fieldError.field ?? '') && <Alert color="red">{fieldError.message}</Alert>}
            <Group justify="flex-end"><Button onClick={save}>Save idea</Button></Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
