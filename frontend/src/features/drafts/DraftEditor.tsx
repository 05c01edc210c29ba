import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  ActionIcon, Alert, Avatar, Badge, Button, Card, Checkbox, Grid, Group, Image, List, Modal, Paper, Select, SimpleGrid, Stack,
  Switch, Tabs, TagsInput, Text, TextInput, Title, Tooltip, VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle, IconCalendarEvent, IconCheck, IconPhoto, IconSend, IconTrash, IconX,
} from '@tabler/icons-react';
import { publishDraft } from '../../api/publish';
import {
  blank, channelChoices, deleteDraft, getDraft, libraryImages, pillarChoices, saveDraft, scheduleDraft, unscheduleDraft,
  type LibraryImage,
} from '../../api/drafts';
import { toAppError } from '../../api/errors';
import type { BrandView, ChoiceView, DraftInput, DraftView, GuardFinding } from '../../api/types';
import { getBrand } from '../../api/brand';
import { HighlightTextarea } from './HighlightTextarea';
import { PickDateField } from '../dates/PickDateField';
import { TimeField } from '../dates/TimeField';
import { byteToIndex, imageOf, imageSeverity, truncate, type Span } from './highlight';
import { platformForChannel, usePlatforms } from '../../api/platforms';
import { designMedia, groupByDesign } from './libraryGroups';
import type { DesignGroup } from './libraryGroups';
import { findingRange, findingTone, isQuiet, oneClickFix, removeRange, statusTone } from './manners';
import { useAction } from '../../useAction';

const AUTOSAVE_MS = 350;
// While someone types without pausing, save at least this often.
const AUTOSAVE_MAX_WAIT_MS = 1000;

function toInput(v: DraftView): DraftInput {
  const d = v.draft;
  return blank({
    id: d.id, title: d.title, body: d.body, versions: d.versions ?? {}, channels: d.channels ?? [], hashtags: d.hashtags ?? [],
    link: d.link, utm: d.utm, campaign: d.campaign, pillar: d.pillar, media: d.media ?? [], testimonials: d.testimonials ?? [],
    paid: d.paid ?? false,
  });
}

/** Spans for the text a finding points into, when the check ran on exactly that text. */
function spansFor(findings: GuardFinding[], target: string, text: string): Span[] {
  const map = byteToIndex(text);
  return findings
    .filter((f) => f.target === target && f.end > f.start)
    .map((f) => ({ start: map(f.start), end: map(f.end), severity: f.severity, title: f.message }));
}

interface Props {
  id: number;
  go: (to: string) => void;
}

export function DraftEditor({ id, go }: Props) {
  const [input, setInput] = useState<DraftInput | null>(null);
  const [view, setView] = useState<DraftView | null>(null);
  const [checked, setChecked] = useState<DraftInput | null>(null); // the content the current check ran on
  const [saveState, setSaveState] = useState<'saved' | 'saving' | 'error'>('saved');
  const [saveError, setSaveError] = useState('');
  const [channels, setChannels] = useState<ChoiceView[]>([]);
  const [pillars, setPillars] = useState<ChoiceView[]>([]);
  const [loadError, setLoadError] = useState('');
  const [date, setDate] = useState('');
  const [clock, setClock] = useState('09:00');
  const { busy, error: scheduleError, setError: setScheduleError, run } = useAction();
  const [picker, setPicker] = useState(false);
  const [versionFor, setVersionFor] = useState<string | null>(null);
  // Whether the manager has started on this post: until then the guard's
  // blocks are a to-do list, not red errors.
  const [touched, setTouched] = useState(false);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const channelsRef = useRef<HTMLDivElement>(null);

  const latest = useRef<DraftInput | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const dirtySince = useRef<number | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    channelChoices().then(setChannels).catch(() => undefined);
    pillarChoices().then(setPillars).catch(() => undefined);
    getDraft(id)
      .then((v) => {
        const i = toInput(v);
        setInput(i);
        latest.current = i;
        setView(v);
        setChecked(i);
        if (v.draft.localTime) {
          const [d, c] = v.draft.localTime.split('T');
          setDate(d);
          setClock(c);
        }
      })
      .catch((e) => setLoadError(toAppError(e).message));
  }, [id]);

  const flush = useCallback(async () => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    dirtySince.current = null;
    const body = latest.current;
    if (!body) return;
    const n = ++seq.current;
    setSaveState('saving');
    try {
      const v = await saveDraft(body);
      if (n !== seq.current) return; // a newer save is on its way
      setView(v);
      setChecked(body);
      setSaveState('saved');
      setSaveError('');
      if (v.notice) notifications.show({ color: 'orange', message: v.notice });
    } catch (e) {
      if (n !== seq.current) return;
      setSaveState('error');
      setSaveError(toAppError(e).message);
    }
  }, []);

  // Saves on every pause in typing, when the field loses focus, and when
  // the window is hidden or closed: a draft is never only on screen.
  const change = (patch: Partial<DraftInput>) => {
    setTouched(true);
    setInput((cur) => {
      const next = { ...(cur as DraftInput), ...patch };
      latest.current = next;
      return next;
    });
    setSaveState('saving');
    window.clearTimeout(timer.current);
    const now = Date.now();
    dirtySince.current ??= now;
    const wait = Math.min(AUTOSAVE_MS, Math.max(0, dirtySince.current + AUTOSAVE_MAX_WAIT_MS - now));
    timer.current = window.setTimeout(flush, wait);
  };
  useEffect(() => {
    const onHide = () => {
      if (timer.current !== undefined) flush();
    };
    window.addEventListener('beforeunload', onHide);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      onHide();
      window.removeEventListener('beforeunload', onHide);
      document.removeEventListener('visibilitychange', onHide);
    };
  }, [flush]);
  const blur = () => {
    if (timer.current !== undefined) flush();
  };

  const findings = view?.check.findings ?? [];
  const bodySpans = useMemo(
    () => (input && checked && checked.body === input.body ? spansFor(findings, 'body', input.body) : []),
    [findings, input, checked],
  );

  if (loadError) {
    return (
      <Alert color="red" icon={<IconAlertTriangle />} title="This draft could not be opened">
        {loadError}
        <Button mt="sm" variant="light" onClick={() => go('drafts')}>Back to posts</Button>
      </Alert>
    );
  }
  if (!input || !view) return <Text c="dimmed">Opening the draft…</Text>;

  const blocked = view.check.blocked;
  const quiet = isQuiet(touched || !!date, input.body);
  const status = statusTone(blocked, findings.length, quiet);

  // Clicking a finding puts the caret on (and selects) the words it is
  // about; a finding about no words goes to the place it concerns.
  const showFinding = (f: GuardFinding) => {
    const el = bodyRef.current;
    const r = f.target === 'body' ? findingRange(f, input.body) : null;
    if (r && el) {
      el.focus();
      el.setSelectionRange(r.start, r.end);
      return;
    }
    if (f.kind === 'empty_post' || !f.kind.startsWith('consent')) {
      if (f.target && f.target !== 'body' && input.versions[f.target] !== undefined) {
        setVersionFor(f.target);
        return;
      }
      if (/channel/.test(f.kind) || (!input.channels.length && f.kind !== 'empty_post')) {
        channelsRef.current?.querySelector('input')?.focus();
        return;
      }
      el?.focus();
    }
  };
  const applyFix = (f: GuardFinding) => {
    const r = findingRange(f, input.body);
    if (!r) return;
    const next = removeRange(input.body, r.start, r.end);
    change({ body: next.text });
    requestAnimationFrame(() => {
      bodyRef.current?.focus();
      bodyRef.current?.setSelectionRange(next.caret, next.caret);
    });
  };
  const reasons = view.check.reasons ?? [];
  const stale = saveState !== 'saved';
  const scheduled = view.draft.status === 'scheduled';

  const schedule = () =>
    run(async () => {
      await flush();
      // With the accounts connected, scheduling queues the posts; without,
      // it only plans the post on the calendar.
      const v = view.publishReason ? await scheduleDraft(id, date, clock) : (await publishDraft({ draftId: id, channels: [], date, clock, googleTextOnly: false })).draft;
      setView(v);
      notifications.show({ color: 'teal', icon: <IconCheck size={16} />, message: `Scheduled for ${v.whenLabel}.` });
      if (v.notice) notifications.show({ color: 'orange', message: v.notice });
    });
  const unschedule = async () => {
    try {
      setView(await unscheduleDraft(id));
    } catch (e) {
      setScheduleError(toAppError(e).message);
    }
  };
  const remove = async () => {
    try {
      window.clearTimeout(timer.current);
      timer.current = undefined;
      await deleteDraft(id);
      notifications.show({ message: 'Draft deleted.' });
      go('drafts');
    } catch (e) {
      notifications.show({ color: 'red', message: toAppError(e).message });
    }
  };

  const versionChannels = Object.keys(input.versions);
  const counterFor = (ch: string) => view.check.channels.find((c) => c.channel === ch);

  return (
    <Stack gap="md">
      {/* The page's one h1, for a screen reader's list of headings; on screen
          the title field below says which post this is. */}
      <VisuallyHidden><Title order={1}>Post: {input.title || 'Untitled post'}</Title></VisuallyHidden>
      <Group justify="space-between" align="flex-end">
        <TextInput
          label="Title (only for you)"
          placeholder="e.g. Smile month tip"
          value={input.title}
          onChange={(e) => change({ title: e.currentTarget.value })}
          onBlur={blur}
          w={420}
        />
        <Group gap="sm">
          <Badge
            data-testid="save-state"
            data-state={saveState}
            variant="light"
            color={saveState === 'error' ? 'red' : saveState === 'saving' ? 'gray' : 'teal'}
            leftSection={saveState === 'saved' ? <IconCheck size={12} /> : undefined}
          >
            {saveState === 'saving' ? 'Saving…' : saveState === 'error' ? 'Not saved' : 'Saved'}
          </Badge>
          <Tooltip label="Delete this draft">
            <ActionIcon variant="subtle" color="red" onClick={remove} aria-label="Delete draft">
              <IconTrash size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      {saveError && <Alert color="red" icon={<IconAlertTriangle />}>{saveError}</Alert>}

      <Grid gap="lg">
        <Grid.Col span={7}>
          <Stack gap="sm">
            <Checkbox.Group ref={channelsRef} label="Post to" value={input.channels} onChange={(v) => change({ channels: v })}>
              <Group gap="md" mt={6}>
                {channels.map((c) => (
                  <Checkbox key={c.value} value={c.value} label={c.label} />
                ))}
              </Group>
            </Checkbox.Group>
            <HighlightTextarea
              label="Post text"
              testId="draft-body"
              inputRef={bodyRef}
              value={input.body}
              spans={bodySpans}
              onChange={(body) => change({ body })}
              onBlur={blur}
              placeholder="Write your post. PracticePost checks it as you type."
              minRows={8}
            />
            <Group gap={6} data-testid="counters">
              {input.channels.map((ch) => {
                const c = counterFor(ch);
                if (!c) return null;
                return c.counters.map((k) => (
                  <Badge key={ch + k.name} variant={k.used > k.limit ? 'filled' : 'light'} color={k.used > k.limit ? 'red' : 'gray'} radius="sm">
                    {c.label} {k.name === 'characters' ? '' : k.name + ' '}
                    {k.used.toLocaleString()}/{k.limit.toLocaleString()}
                  </Badge>
                ));
              })}
            </Group>

            <TagsInput
              label="Hashtags"
              placeholder="Type a hashtag and press Enter"
              value={input.hashtags}
              onChange={(v) => change({ hashtags: v.map((h) => (h.startsWith('#') ? h : '#' + h)) })}
              onBlur={blur}
            />
            <Group align="flex-end" grow>
              <TextInput label="Link" placeholder="https://www.yourpractice.co.uk/page" value={input.link}
                onChange={(e) => change({ link: e.currentTarget.value })} onBlur={blur} />
              <TextInput label="Campaign name (for analytics)" placeholder={`${input.pillar ? input.pillar.replace(/_/g, '-') + '-' : ''}post-${id}`} value={input.campaign}
                description="Public: it is part of the link. Left empty, the post's kind and number are used, never its title."
                onChange={(e) => change({ campaign: e.currentTarget.value })} onBlur={blur} />
            </Group>
            <Switch
              checked={input.utm}
              onChange={(e) => change({ utm: e.currentTarget.checked })}
              label="Add tracking tags to the link for each platform (utm_source, utm_medium=social, utm_campaign)"
            />
            <Switch
              checked={input.paid}
              onChange={(e) => change({ paid: e.currentTarget.checked })}
              label="This post will be promoted as a paid advert"
              description="Paid adverts need each patient's consent to cover paid advertising, and follow the stricter advert rules. Leave it off for an ordinary post."
              data-testid="draft-paid"
            />
            <Select
              label="Content pillar"
              placeholder="What kind of post is this?"
              data={pillars}
              value={input.pillar || null}
              onChange={(v) => change({ pillar: v ?? '' })}
              clearable
              w={280}
            />

            <div>
              <Group justify="space-between" mb={4}>
                <Text size="sm" fw={500}>Images</Text>
                <Button size="xs" variant="light" leftSection={<IconPhoto size={14} />} onClick={() => setPicker(true)}>
                  Add from Studio library
                </Button>
              </Group>
              {input.media.length === 0 ? (
                <Text size="sm" c="dimmed">No image. Instagram posts need one; make it in the Studio.</Text>
              ) : (
                <Stack gap={6}>
                  {input.media.map((m, i) => {
                    const flag = stale ? null : imageSeverity(findings, i + 1);
                    return (
                    <Group key={m.sha256 + i} wrap="nowrap" align="flex-start">
                      <Stack gap={2} align="center">
                        <Image src={`/media/${m.sha256}`} w={72} h={72} radius="sm" fit="cover" alt={m.altText}
                          style={flag ? { outline: `3px solid var(--mantine-color-${flag === 'block' ? 'red' : 'yellow'}-6)`, outlineOffset: 1 } : undefined} />
                        {flag && (
                          <Text size="xs" c={flag === 'block' ? 'red.9' : 'dark.6'} data-testid={`image-flag-${i + 1}`}>
                            {flag === 'block' ? 'Must fix' : 'Check'}: see Checks
                          </Text>
                        )}
                      </Stack>
                      <TextInput
                        style={{ flex: 1 }}
                        label={`Alt text for image ${i + 1}`}
                        description={m.setId ? 'A Studio design: each channel gets the size it takes (see Preview).' : 'Goes to every channel as it is.'}
                        value={m.altText}
                        onChange={(e) => {
                          const media = input.media.slice();
                          media[i] = { ...m, altText: e.currentTarget.value };
                          change({ media });
                        }}
                        onBlur={blur}
                      />
                      <ActionIcon mt={24} variant="subtle" color="gray" aria-label={`Remove image ${i + 1}`}
                        onClick={() => change({ media: input.media.filter((_, k) => k !== i) })}>
                        <IconX size={16} />
                      </ActionIcon>
                    </Group>
                    );
                  })}
                </Stack>
              )}
            </div>

            <Card withBorder padding="sm">
              <Group justify="space-between">
                <Text size="sm" fw={500}>Different text for one platform</Text>
                <Select
                  size="xs"
                  placeholder="Add a version for…"
                  data={channels.filter((c) => input.channels.includes(c.value) && !versionChannels.includes(c.value))}
                  value={null}
                  onChange={(v) => {
                    if (!v) return;
                    change({ versions: { ...input.versions, [v]: input.body } });
                    setVersionFor(v);
                  }}
                />
              </Group>
              {versionChannels.length === 0 && (
                <Text size="xs" c="dimmed" mt={4}>Every platform gets the post text above. Add a version to shorten it for X or Bluesky.</Text>
              )}
              <Tabs value={versionFor ?? versionChannels[0] ?? null} onChange={setVersionFor} mt="xs">
                <Tabs.List>
                  {versionChannels.map((ch) => (
                    <Tabs.Tab key={ch} value={ch}>{channels.find((c) => c.value === ch)?.label ?? ch}</Tabs.Tab>
                  ))}
                </Tabs.List>
                {versionChannels.map((ch) => (
                  <Tabs.Panel key={ch} value={ch} pt="xs">
                    <HighlightTextarea
                      label={`Text for ${channels.find((c) => c.value === ch)?.label ?? ch}`}
                      value={input.versions[ch]}
                      spans={checked && checked.versions[ch] === input.versions[ch] ? spansFor(findings, ch, input.versions[ch]) : []}
                      onChange={(t) => change({ versions: { ...input.versions, [ch]: t } })}
                      onBlur={blur}
                      minRows={4}
                    />
                    <Button size="xs" variant="subtle" color="gray" mt={4}
                      onClick={() => {
                        const versions = { ...input.versions };
                        delete versions[ch];
                        change({ versions });
                        setVersionFor(null);
                      }}>
                      Use the main text on this platform
                    </Button>
                  </Tabs.Panel>
                ))}
              </Tabs>
            </Card>
          </Stack>
        </Grid.Col>

        <Grid.Col span={5}>
          <Stack gap="sm">
            <Paper withBorder p="md" radius="md">
              <Group justify="space-between" mb="xs">
                <Title order={2} size="h4">Checks</Title>
                {stale ? (
                  <Badge color="gray" variant="light">Checking…</Badge>
                ) : (
                  <Badge color={status.color} data-testid="guard-status" data-quiet={quiet || undefined}>{status.text}</Badge>
                )}
              </Group>
              {findings.length === 0 ? (
                <Text size="sm" c="dimmed">No problems found: no patient identifiers, consent is in order, and it fits every platform chosen.</Text>
              ) : (
                <Stack gap="xs" data-testid="findings">
                  {quiet && <Text size="sm" c="dimmed" data-testid="guard-quiet">Before this post can go out:</Text>}
                  {findings.map((f, i) => {
                    const tone = findingTone(f, quiet);
                    const fix = quiet ? null : oneClickFix(f);
                    return (
                    <Card key={i} padding="xs" radius="sm" withBorder className="pp-finding" data-testid="finding"
                      style={{ borderLeft: `4px solid var(--mantine-color-${tone.color}-6)` }}>
                      <Group gap={6} mb={2}>
                        <Badge size="xs" color={tone.color}>{tone.label}</Badge>
                        {imageOf(f) ? (
                          // The message names what the image shows; there is no text to point at.
                          <Badge size="xs" variant="outline" color="gray" leftSection={<IconPhoto size={10} />} data-testid="finding-image">
                            In image {imageOf(f)}
                          </Badge>
                        ) : (
                          f.text && <Text size="xs" fw={600} ff="monospace">“{f.text}”</Text>
                        )}
                        {f.channels.length > 0 && f.channels.length < input.channels.length && (
                          <Text size="xs" c="dimmed">{f.channels.map((c) => channels.find((x) => x.value === c)?.label ?? c).join(', ')}</Text>
                        )}
                      </Group>
                      {/* The message is a button: it takes the caret to the words (or the place) to fix. */}
                      <Text component="button" type="button" size="sm" className="pp-finding-go" onClick={() => showFinding(f)}
                        title="Show me where">{f.message}</Text>
                      <Text size="sm" c="dimmed"><b>Fix:</b> {f.fix}</Text>
                      {fix && (
                        <Button size="compact-xs" variant="light" color="red" mt={4} onClick={() => applyFix(f)} data-testid="finding-fix">
                          {fix.label}
                        </Button>
                      )}
                    </Card>
                    );
                  })}
                </Stack>
              )}
            </Paper>

            <Paper withBorder p="md" radius="md">
              <Title order={2} size="h4" mb="xs">When</Title>
              {scheduled ? (
                <Stack gap="xs">
                  <Alert color="teal" icon={<IconCalendarEvent />} data-testid="scheduled-at">Scheduled for {view.whenLabel}</Alert>
                  <Button variant="light" color="gray" onClick={unschedule}>Take off the schedule</Button>
                </Stack>
              ) : (
                <Stack gap="xs">
                  <Group grow align="flex-start">
                    <PickDateField label="Day" value={date} onChange={setDate} testId="draft-day" allow="today-on" zone={view.zone} />
                    <TimeField label="Time" zone={view.zone} value={clock} onChange={setClock} testId="draft-time" />
                  </Group>
                  <Group gap="sm" wrap="nowrap" align="flex-start">
                    <Button
                      leftSection={<IconCalendarEvent size={16} />}
                      disabled={!view.canSchedule || stale || !date || busy}
                      loading={busy}
                      onClick={schedule}
                    >
                      Schedule
                    </Button>
                    <Tooltip label={view.publishReason} multiline w={260} disabled={!view.publishReason}>
                      <span>
                        <Button leftSection={<IconSend size={16} />} disabled={!!view.publishReason || blocked || stale} variant="outline" data-testid="publish-button"
                          onClick={async () => { await flush(); go('publish/' + id); }}>Publish</Button>
                      </span>
                    </Tooltip>
                  </Group>
                  {!date && view.canSchedule && <Text size="xs" c="dimmed" data-testid="schedule-why">Schedule: choose a day first.</Text>}
                  {blocked && !stale ? (
                    <Alert color={quiet ? 'gray' : 'red'} variant="light" title={quiet ? 'To do before it can be scheduled or published' : 'Cannot be scheduled or published yet'} data-testid="block-reasons">
                      <List size="sm" spacing={2}>
                        {reasons.map((r, i) => <List.Item key={i}>{r}</List.Item>)}
                      </List>
                    </Alert>
                  ) : (
                    <Text size="xs" c="dimmed" data-testid="publish-reason">Publish: {view.publishReason || 'ready. Publish sends it now; Schedule queues it for the chosen time.'}</Text>
                  )}
                  {scheduleError && <Alert color="red" data-testid="schedule-error">{scheduleError}</Alert>}
                </Stack>
              )}
            </Paper>

            <Preview view={view} input={input} channels={channels} />
          </Stack>
        </Grid.Col>
      </Grid>
      <LibraryPicker
        opened={picker}
        onClose={() => setPicker(false)}
        onPick={(g) => {
          change({ media: [...input.media, designMedia(g)] });
          setPicker(false);
        }}
      />
    </Stack>
  );
}

function Preview({ view, input, channels }: { view: DraftView; input: DraftInput; channels: ChoiceView[] }) {
  const [tab, setTab] = useState<string | null>(null);
  const [brand, setBrand] = useState<BrandView | null>(null);
  const platforms = usePlatforms();
  useEffect(() => {
    Promise.resolve().then(getBrand).then(setBrand).catch(() => setBrand(null));
  }, []);
  const list = view.check.channels;
  if (list.length === 0) return null;
  const current = tab && list.some((c) => c.channel === tab) ? tab : list[0].channel;
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h4" mb="xs">Preview</Title>
      <Tabs value={current} onChange={setTab}>
        <Tabs.List>
          {list.map((c) => (
            <Tabs.Tab key={c.channel} value={c.channel} color={c.blocked ? 'red' : undefined}>
              {channels.find((x) => x.value === c.channel)?.label ?? c.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {list.map((c) => {
          const platform = platformForChannel(platforms, c.channel);
          // An unknown channel (or the table not loaded yet) is cut where most feeds cut, and not cropped.
          const t = truncate(c.text, platform?.feedCut ?? 300);
          // The image this channel gets: an attached design in its platform's size (from the last check).
          const img = c.images?.[0] ?? input.media[0];
          const sized = c.images?.[0]?.width ? c.images[0] : null;
          return (
            <Tabs.Panel key={c.channel} value={c.channel} pt="sm" data-testid={`preview-${c.channel}`}>
              <Card withBorder padding="sm" radius="md">
                {/* As the post appears: under the practice's own name and logo. */}
                <Group gap={8} mb={6} wrap="nowrap">
                  {brand?.logoUrl ? (
                    <Avatar src={brand.logoUrl} size={28} radius="xl" styles={{ image: { objectFit: 'contain' } }} alt="" />
                  ) : (
                    <Avatar size={28} radius="xl" color="teal">{(brand?.kit.practiceName || 'P').slice(0, 1)}</Avatar>
                  )}
                  <Text size="sm" fw={600} data-testid="preview-name">{brand?.kit.practiceName || 'Your practice'}</Text>
                </Group>
                <Text className="pp-preview-text">
                  {t.shown}
                  {t.more && <Text span c="dimmed" fw={600}> … see more</Text>}
                </Text>
                {img && platform && (
                  <>
                    <img className="pp-preview-img" src={`/media/${img.sha256}`} alt={img.altText} style={{ aspectRatio: String(platform.feedAspect), marginTop: 8 }}
                      data-testid={`preview-image-${c.channel}`} data-size={sized ? `${sized.width}x${sized.height}` : undefined} />
                    <Text size="xs" c="dimmed" mt={2} data-testid={`preview-size-${c.channel}`}>
                      {sized ? `Sends the ${sized.width}×${sized.height} size; ${platform.feedAspectLabel}` : `Cropped to ${platform.feedAspectLabel}`}
                    </Text>
                  </>
                )}
              </Card>
              {c.sizeNote && <Alert color="orange" variant="light" p="xs" mt={4} data-testid={`size-note-${c.channel}`}><Text size="xs">{c.sizeNote}</Text></Alert>}
              {c.note && <Text size="xs" c="dimmed" mt={4}>{c.note}</Text>}
              {c.link && <Text size="xs" c="dimmed" mt={4} style={{ wordBreak: 'break-all' }}>Link posted: {c.link}</Text>}
            </Tabs.Panel>
          );
        })}
      </Tabs>
    </Paper>
  );
}

function LibraryPicker({ opened, onClose, onPick }: { opened: boolean; onClose: () => void; onPick: (g: DesignGroup) => void }) {
  const [items, setItems] = useState<LibraryImage[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!opened) return;
    libraryImages().then(setItems).catch((e) => setError(toAppError(e).message));
  }, [opened]);
  return (
    <Modal opened={opened} onClose={onClose} title="Choose an image from the Studio library" size="xl">
      {error && <Alert color="red">{error}</Alert>}
      {items && items.length === 0 && <Text c="dimmed">The library is empty. Make an image in the Studio and keep it.</Text>}
      {items && items.length > 0 && (
        <Text size="sm" c="dimmed" mb="sm">One tile per design. Each channel gets the design in the size its platform takes; the Preview shows which.</Text>
      )}
      <SimpleGrid cols={4}>
        {groupByDesign(items ?? []).map((g) => (
          <Card key={g.key} padding="xs" withBorder component="button" type="button" onClick={() => onPick(g)}
            style={{ cursor: 'pointer', textAlign: 'left' }} data-testid="library-design">
            <Image src={g.pick.url} h={120} fit="contain" alt={g.pick.altText} />
            <Text size="xs" mt={4} lineClamp={2}>{g.pick.altText}</Text>
            <Text size="xs" c="dimmed">{g.setId && g.sizes.length > 1 ? `${g.sizes.length} sizes: each channel gets its own` : `${g.pick.width}×${g.pick.height}, as it is`}</Text>
          </Card>
        ))}
      </SimpleGrid>
    </Modal>
  );
}
