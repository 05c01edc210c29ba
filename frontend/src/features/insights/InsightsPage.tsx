import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert, Anchor, Badge, Button, Card, Group, Image, Loader, MultiSelect, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text,
  Title, Tooltip, UnstyledButton,
} from '@mantine/core';
import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import {
  IconAlertTriangle, IconArrowDown, IconArrowUp, IconCheck, IconDownload, IconFileTypePdf, IconInfoCircle, IconRefresh, IconSelector,
} from '@tabler/icons-react';
import {
  InsightsEvents, agoText, exportInsightsCSV, insightsDashboard, isSet, monthlyReport, practiceDay, practiceTime, refreshInsights,
  type Group as Breakdown, type InsightsQuery, type InsightsView, type PeriodKind, type PostRow,
} from '../../api/insights';
import { onEvent } from '../../api/system';
import { givesPostNumbers, usePlatforms } from '../../api/platforms';
import { toAppError } from '../../api/errors';
import { PickDateField } from '../dates/PickDateField';
import { dayIn } from '../../format';
import { dayInZone, lastMonths } from './months';

const colors = ['teal.6', 'blue.6', 'grape.6', 'orange.6', 'pink.6', 'indigo.6', 'lime.7', 'cyan.6'];
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const num = (n: number | null | undefined) => (n == null ? '–' : n.toLocaleString());

/** The change against the previous period of the same length. */
function Change({ now, before }: { now?: number | null; before?: number | null }) {
  if (now == null || before == null) return null;
  if (before === 0) return now === 0 ? null : <Text size="xs" c="dimmed">none the period before</Text>;
  const d = (now - before) / before;
  const up = d >= 0;
  return (
    <Text size="xs" c={up ? 'teal.7' : 'red.9'}>
      {up ? '▲' : '▼'} {Math.abs(d * 100).toFixed(0)}% on the period before ({before.toLocaleString()})
    </Text>
  );
}

function Stat({ label, value, hint, children }: { label: string; value: string; hint?: string; children?: React.ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Group gap={4} wrap="nowrap">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>{label}</Text>
        {hint && <Tooltip label={hint} multiline w={260}><IconInfoCircle size={14} color="gray" /></Tooltip>}
      </Group>
      <Text fw={700} size="xl" mt={4}>{value}</Text>
      {children}
    </Paper>
  );
}

type SortKey = 'title' | 'channel' | 'publishedAt' | 'pillar' | 'reactions' | 'comments' | 'shares' | 'saves' | 'reach' | 'clicks' | 'interactions' | 'rate';

const pillarLabel: Record<string, string> = { tip: 'Tip', myth_fact: 'Myth or fact', team: 'Team', testimonial: 'Testimonial', event: 'Event', news: 'News', '': '—' };

function reachOf(p: PostRow): number | null | undefined {
  return p.reach ?? (p.platform === 'x' ? p.views : null);
}

function sortValue(p: PostRow, k: SortKey, channelName: (id: string) => string): string | number {
  switch (k) {
    case 'title': return p.title.toLowerCase();
    case 'channel': return channelName(p.channel);
    case 'publishedAt': return p.publishedAt;
    case 'pillar': return p.pillar;
    case 'reach': return reachOf(p) ?? -1;
    case 'clicks': return p.clicks ?? -1;
    case 'rate': return p.hasRate ? p.rate : -1;
    default: return p[k];
  }
}

function PostsTable({ view, channelName }: { view: InsightsView; channelName: (id: string) => string }) {
  const platforms = usePlatforms();
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'interactions', desc: true });
  const rows = useMemo(() => {
    const r = [...view.posts];
    r.sort((a, b) => {
      const x = sortValue(a, sort.key, channelName);
      const y = sortValue(b, sort.key, channelName);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return sort.desc ? -c : c;
    });
    return r;
  }, [view.posts, sort, channelName]);
  const Th = ({ k, children, num: isNum }: { k: SortKey; children: React.ReactNode; num?: boolean }) => {
    const active = sort.key === k;
    const Icon = !active ? IconSelector : sort.desc ? IconArrowDown : IconArrowUp;
    return (
      <Table.Th style={{ textAlign: isNum ? 'right' : undefined, whiteSpace: 'nowrap' }}
        aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
        <UnstyledButton onClick={() => setSort({ key: k, desc: active ? !sort.desc : k !== 'title' && k !== 'channel' && k !== 'pillar' })}
          data-testid={`sort-${k}`}>
          <Group gap={2} wrap="nowrap" justify={isNum ? 'flex-end' : undefined}>
            <Text size="xs" fw={700}>{children}</Text>
            <Icon size={12} />
          </Group>
        </UnstyledButton>
      </Table.Th>
    );
  };
  // Saves are Instagram's alone: the column shows only when Instagram is in.
  const saves = rows.some((p) => p.platform === 'instagram');
  if (rows.length === 0) {
    return <Text c="dimmed" size="sm">No posts went out in this period on the channels chosen.</Text>;
  }
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped highlightOnHover verticalSpacing={6} data-testid="insights-posts-table">
        <Table.Thead>
          <Table.Tr>
            <Th k="title">Post</Th>
            <Th k="channel">Channel</Th>
            <Th k="publishedAt">Published</Th>
            <Th k="pillar">Pillar</Th>
            <Th k="reactions" num>Reactions</Th>
            <Th k="comments" num>Comments</Th>
            <Th k="shares" num>Shares</Th>
            {saves && <Th k="saves" num>Saves</Th>}
            <Th k="reach" num>Reach</Th>
            <Th k="clicks" num>Clicks</Th>
            <Th k="interactions" num>Interactions</Th>
            <Th k="rate" num>Rate</Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((p) => (
            <Table.Tr key={p.jobId}>
              <Table.Td maw={220}>
                <Text size="sm" truncate>{p.url ? <Anchor href={p.url} target="_blank" size="sm">{p.title}</Anchor> : p.title}</Text>
              </Table.Td>
              <Table.Td>
                <Tooltip label={channelName(p.channel)}><Text size="sm">{channelName(p.channel).split(' · ')[0]}</Text></Tooltip>
              </Table.Td>
              <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{practiceDay(dayInZone(p.publishedAt, view.zone), view.country)}</Text></Table.Td>
              <Table.Td><Text size="sm">{pillarLabel[p.pillar] ?? p.pillar}</Text></Table.Td>
              {p.read ? (
                <>
                  <Table.Td ta="right">{p.reactions}</Table.Td>
                  <Table.Td ta="right">{p.comments}</Table.Td>
                  <Table.Td ta="right">{p.shares + p.quotes}</Table.Td>
                  {saves && <Table.Td ta="right">{p.platform === 'instagram' ? p.saves : '–'}</Table.Td>}
                  <Table.Td ta="right">{num(reachOf(p))}</Table.Td>
                  <Table.Td ta="right">{num(p.clicks)}</Table.Td>
                  <Table.Td ta="right" fw={600}>{p.interactions}</Table.Td>
                  <Table.Td ta="right">
                    {p.hasRate ? <Tooltip label={`interactions ÷ ${p.basis}`}><span>{pct(p.rate)}</span></Tooltip> : '–'}
                  </Table.Td>
                </>
              ) : (
                <Table.Td colSpan={saves ? 8 : 7}><Text size="sm" c="dimmed">{givesPostNumbers(platforms, p.platform) ? 'No numbers yet' : `${platforms?.find((d) => d.name === p.platform)?.title ?? p.platform} gives no numbers per post`}</Text></Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Interactions per post for each group; the posts behind each bar in brackets. Bars lie down so long labels stay readable. */
function BreakdownChart({ groups, testid, short, across }: { groups: Breakdown[]; testid: string; short?: boolean; across?: boolean }) {
  const data = groups.map((g) => ({ label: `${short ? g.key : g.label} (${g.posts})`, 'Interactions per post': Math.round(g.mean * 10) / 10 }));
  if (across) {
    return (
      <div data-testid={testid}>
        <BarChart h={180} data={data} dataKey="label" series={[{ name: 'Interactions per post', color: 'teal.6' }]}
          tickLine="y" gridAxis="y" withTooltip xAxisProps={{ interval: 0, fontSize: 11 }} valueFormatter={(v) => v.toLocaleString()} />
      </div>
    );
  }
  return (
    <div data-testid={testid}>
      <BarChart h={Math.max(120, 34 * data.length + 30)} data={data} dataKey="label" orientation="vertical"
        series={[{ name: 'Interactions per post', color: 'teal.6' }]} tickLine="x" gridAxis="x" withTooltip
        yAxisProps={{ width: 150, interval: 0 }} valueFormatter={(v) => v.toLocaleString()} />
    </div>
  );
}

// Buttons that cannot act look disabled but keep their tooltip saying why
// (a disabled button gets no hover, so its reason would never show).
export function InsightsPage() {
  const platforms = usePlatforms();
  const [q, setQ] = useState<InsightsQuery>({ period: '30d', month: '', from: '', to: '', channels: [] });
  const [view, setView] = useState<InsightsView | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  const [exported, setExported] = useState<{ ok: boolean; text: string } | null>(null);
  // Which save is under way (the save dialog open, then the file written).
  const [saving, setSaving] = useState<'csv' | 'report' | null>(null);
  const [tick, setTick] = useState(Date.now());

  // Until the view says the practice's zone, this computer's day stands in.
  const months = useMemo(() => lastMonths(24, dayIn(view?.zone)), [view?.zone]);
  const ready = q.period !== 'custom' || (q.from !== '' && q.to !== '');

  const load = useCallback(async () => {
    if (!ready) return;
    setLoading(true);
    try {
      setView(await insightsDashboard(q));
      setError('');
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setLoading(false);
    }
  }, [q, ready]);

  useEffect(() => { load(); }, [load]);

  // Opening Insights reads channels whose numbers are older than half an hour.
  // Which channels are being read comes with the dashboard (events may
  // arrive out of order), so any progress just reloads it, at most every 300 ms.
  useEffect(() => {
    let timer = 0;
    const soon = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => load(), 300);
    };
    refreshInsights().then(soon).catch(() => undefined);
    const offs = [onEvent(InsightsEvents.progress, soon), onEvent(InsightsEvents.updated, soon)];
    const t = window.setInterval(() => setTick(Date.now()), 30000);
    return () => { offs.forEach((off) => off()); window.clearInterval(t); window.clearTimeout(timer); };
  }, [load]);

  const channelName = useCallback((id: string) => {
    const c = view?.available.find((a) => a.id === id);
    return c ? `${c.title} · ${c.name}` : view?.channels.find((c) => c.id === id)?.name ?? id;
  }, [view]);

  const series = useMemo(() => {
    if (!view) return { data: [], names: [] as string[] };
    const names = Array.from(new Set(view.series.map((p) => channelName(p.channel))));
    const days: Record<string, Record<string, number | string>> = {};
    const start = new Date(view.period.from + 'T12:00:00Z');
    const end = new Date(view.period.to + 'T12:00:00Z');
    for (let d = start; d <= end; d = new Date(d.getTime() + 86400000)) {
      const key = d.toISOString().slice(0, 10);
      days[key] = { day: practiceDay(key, view.country).replace(/ \d{4}$|, \d{4}$/, '') };
      names.forEach((n) => (days[key][n] = 0));
    }
    view.series.forEach((p) => {
      const row = days[p.day];
      if (row) row[channelName(p.channel)] = (row[channelName(p.channel)] as number) + p.interactions;
    });
    return { data: Object.values(days), names };
  }, [view, channelName]);

  const busy = view?.available.filter((c) => c.reading) ?? [];
  // A cancelled save dialog answers "": nothing was saved, so nothing is said.
  const save = async (kind: 'csv' | 'report', run: () => Promise<string>, saved: string) => {
    setExported(null);
    setSaving(kind);
    try {
      const path = await run();
      if (path) setExported({ ok: true, text: `${saved} ${path}` });
    } catch (e) {
      setExported({ ok: false, text: toAppError(e).message });
    } finally {
      setSaving(null);
    }
  };
  const doExport = () => save('csv', () => exportInsightsCSV(q), 'Numbers saved to');
  const doReport = () => save('report', () => monthlyReport(q.month), 'Report saved to');
  const doRefresh = async () => {
    try {
      await refreshInsights();
    } catch (e) {
      setError(toAppError(e).message);
    }
  };

  const top = view?.posts.filter((p) => p.read).slice(0, 4) ?? [];
  const t = view?.totals;
  const prev = view?.previous;
  const noChannels = view && view.available.length === 0;

  return (
    <Stack gap="lg" data-testid="insights-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">Insights</Title>
          <Text c="dimmed" size="sm" data-testid="insights-updated">
            {view ? `${view.label}${view.label.includes(' to ') ? '' : ` (${practiceDay(view.period.from, view.country)} – ${practiceDay(view.period.to, view.country)})`} · ${agoText(view.updatedAt, tick)}` : 'What your posts did'}
            {busy.length > 0 && ` · reading ${busy.map((b) => `${b.title} · ${b.name}`).join(', ')}…`}
          </Text>
        </div>
        <Group gap="xs">
          <Tooltip label={noChannels ? 'Connect a channel under Channels first' : 'Read the latest numbers from every channel now'}>
            <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => !noChannels && doRefresh()} data-disabled={noChannels || undefined} loading={busy.length > 0}>
              Update numbers
            </Button>
          </Tooltip>
          <Tooltip label={q.period !== 'month' ? 'Choose Month below to make that month’s one-page report' : 'A one-page PDF for the practice owner: this month against the last, best posts, what to try next'}>
            <Button variant="default" leftSection={<IconFileTypePdf size={16} />} onClick={() => q.period === 'month' && !saving && doReport()} data-disabled={q.period !== 'month' || undefined}
              loading={saving === 'report'} data-testid="insights-report">
              Monthly report
            </Button>
          </Tooltip>
          <Tooltip label={!view || view.posts.length === 0 ? 'No posts in this period to export' : 'Every number of this period as a spreadsheet (CSV)'}>
            <Button leftSection={<IconDownload size={16} />} onClick={() => view && view.posts.length > 0 && !saving && doExport()} data-disabled={!view || view.posts.length === 0 || undefined}
              loading={saving === 'csv'} data-testid="insights-export">
              Export CSV
            </Button>
          </Tooltip>
        </Group>
      </Group>

      <Group gap="md" align="flex-end" wrap="wrap">
        <SegmentedControl value={q.period} onChange={(v) => setQ({ ...q, period: v as PeriodKind, month: v === 'month' && !q.month ? months[1].value : q.month })}
          data={[{ value: '7d', label: '7 days' }, { value: '30d', label: '30 days' }, { value: '90d', label: '90 days' }, { value: 'month', label: 'Month' }, { value: 'custom', label: 'Custom' }]}
          aria-label="Period" data-testid="insights-period" />
        {q.period === 'month' && (
          <Select aria-label="Month" data={months} value={q.month} onChange={(v) => v && setQ({ ...q, month: v })} w={180} allowDeselect={false} />
        )}
        {q.period === 'custom' && (
          <>
            <PickDateField label="From" value={q.from} onChange={(v) => setQ({ ...q, from: v })} w={200} testId="insights-from" />
            <PickDateField label="To" value={q.to} onChange={(v) => setQ({ ...q, to: v })} w={200} testId="insights-to" />
          </>
        )}
        <MultiSelect aria-label="Channels" placeholder={q.channels.length ? undefined : 'All channels'} clearable w={320}
          data={(view?.available ?? []).map((c) => ({ value: c.id, label: `${c.title} · ${c.name}` }))}
          value={q.channels} onChange={(v) => setQ({ ...q, channels: v })} data-testid="insights-channels" />
        {loading && <Loader size="sm" />}
      </Group>

      {error && <Alert color="red" icon={<IconAlertTriangle />}>{error}</Alert>}
      {exported && (
        <Alert color={exported.ok ? 'teal' : 'red'} icon={exported.ok ? <IconCheck /> : <IconAlertTriangle />} title={exported.ok ? 'Saved' : 'Not saved'}
          withCloseButton closeButtonLabel="Dismiss" onClose={() => setExported(null)} data-testid="insights-save-result">
          {exported.text}
        </Alert>
      )}
      {noChannels && (
        <Alert color="blue" icon={<IconInfoCircle />} title="No channels connected yet">
          Insights shows what your posts did once they have gone out. Connect the practice’s pages under Channels, publish a post, and its numbers appear here within a few hours.
        </Alert>
      )}

      {view?.available.filter((c) => c.problem || c.note).map((c) => (
        <Alert key={c.id} color={c.problem ? 'orange' : 'gray'} variant="light" icon={c.problem ? <IconAlertTriangle size={18} /> : <IconInfoCircle size={18} />}
          title={`${c.title} · ${c.name}`} data-testid={`insights-channel-${c.platform}`}>
          <Text size="sm">{c.problem || c.note}</Text>
          {c.problem && c.note && <Text size="sm" c="dimmed" mt={4}>{c.note}</Text>}
          <Text size="xs" c="dimmed" mt={4}>{isSet(c.lastOkAt) ? `Last read ${practiceTime(c.lastOkAt, view.country, view.zone)}` : 'Not read yet'}</Text>
        </Alert>
      ))}

      {view && t && prev && (
        <>
          <SimpleGrid cols={{ base: 2, md: 5 }} data-testid="insights-totals">
            <Stat label="Posts" value={t.posts.toLocaleString()}><Change now={t.posts} before={prev.posts} /></Stat>
            <Stat label="Interactions" value={t.interactions.toLocaleString()} hint="Reactions, comments, shares, reposts, quotes and saves on the posts published in this period, as of its last day.">
              <Change now={t.interactions} before={prev.interactions} />
            </Stat>
            <Stat label="Reach" value={num(t.reach)} hint="People reached where the platform counts them (Facebook, Instagram, LinkedIn), and impressions on X. Mastodon and Bluesky report neither.">
              <Change now={t.reach} before={prev.reach} />
            </Stat>
            <Stat label="Link clicks" value={num(t.clicks)} hint="Clicks on posts (Facebook, LinkedIn) and website clicks from Google."><Change now={t.clicks} before={prev.clicks} /></Stat>
            <Stat label="New followers" value={t.growth == null ? '–' : (t.growth > 0 ? '+' : '') + t.growth.toLocaleString()} hint="Followers gained in the period where the platform gives a follower count. Counted from the first count read in the period when none was read just before it.">
              {t.growth != null && t.growthSince && <Text size="xs" c="dimmed" data-testid="insights-growth-since">partly: since {practiceDay(t.growthSince, view.country)}</Text>}
            </Stat>
          </SimpleGrid>

          <Card withBorder radius="md" p="md">
            <Text fw={600} mb="xs">Interactions gained each day</Text>
            {series.names.length === 0 ? (
              <Text size="sm" c="dimmed">No numbers were read in this period yet.</Text>
            ) : (
              <div data-testid="insights-daily-chart">
                <BarChart h={240} data={series.data} dataKey="day" type="stacked" withLegend tickLine="y" gridAxis="y"
                  series={series.names.map((n, i) => ({ name: n, color: colors[i % colors.length] }))} />
              </div>
            )}
          </Card>

          <Card withBorder radius="md" p="md">
            <Text fw={600} mb="xs">By channel</Text>
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing={6} data-testid="insights-channel-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Channel</Table.Th><Table.Th ta="right">Posts</Table.Th><Table.Th ta="right">Interactions</Table.Th>
                    <Table.Th ta="right">Reach / views</Table.Th><Table.Th ta="right">Clicks</Table.Th><Table.Th ta="right">Engagement rate</Table.Th>
                    <Table.Th ta="right">Followers</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {view.channels.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Text size="sm" fw={500}>{channelName(c.id)}</Text>
                        <Text size="xs" c="dimmed">{c.basisNote}</Text>
                      </Table.Td>
                      <Table.Td ta="right">{givesPostNumbers(platforms, c.platform) ? c.posts : '–'}</Table.Td>
                      <Table.Td ta="right">{givesPostNumbers(platforms, c.platform) ? c.interactions : `${num(c.calls)} calls · ${num(c.directions)} directions`}</Table.Td>
                      <Table.Td ta="right">{num(c.reach ?? c.views)}</Table.Td>
                      <Table.Td ta="right">{num(c.clicks)}</Table.Td>
                      <Table.Td ta="right">{c.hasRate ? pct(c.rate) : '–'}</Table.Td>
                      <Table.Td ta="right">
                        {num(c.followers)}{c.growth != null && c.growth !== 0 ? ` (${c.growth > 0 ? '+' : ''}${c.growth})` : ''}
                        {c.growth != null && c.growthSince && <Text size="xs" c="dimmed">since {practiceDay(c.growthSince, view.country)}</Text>}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>

          {top.length > 0 && (
            <div>
              <Text fw={600} mb="xs">Top posts</Text>
              <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="insights-top-posts">
                {top.map((p) => (
                  <Card key={p.jobId} withBorder radius="md" p="sm">
                    {p.thumb ? (
                      <Card.Section><Image src={`/media/${p.thumb}`} h={110} fit="cover" alt="" /></Card.Section>
                    ) : (
                      <Card.Section bg="gray.1" h={110} p="sm"><Text size="sm" c="dimmed" lineClamp={4}>{p.title}</Text></Card.Section>
                    )}
                    <Text size="sm" fw={600} mt="xs" lineClamp={1}>{p.title}</Text>
                    <Text size="xs" c="dimmed">{channelName(p.channel)} · {practiceDay(dayInZone(p.publishedAt, view.zone), view.country)}</Text>
                    <Group gap={6} mt={6}>
                      <Badge variant="light" color="teal">{p.interactions} interactions</Badge>
                      {p.hasRate && <Badge variant="light" color="gray">{pct(p.rate)}</Badge>}
                    </Group>
                  </Card>
                ))}
              </SimpleGrid>
            </div>
          )}

          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder radius="md" p="md">
              <Text fw={600}>By content pillar</Text>
              <Text size="xs" c="dimmed" mb="xs">Interactions per post; the number of posts in brackets.</Text>
              <BreakdownChart groups={view.pillars} testid="insights-pillars" />
            </Card>
            <Card withBorder radius="md" p="md">
              <Text fw={600}>Testimonials and awareness days</Text>
              <Text size="xs" c="dimmed" mb="xs">Interactions per post; the number of posts in brackets.</Text>
              <BreakdownChart groups={[...view.testimonial, ...view.awareness]} testid="insights-testimonial" />
            </Card>
          </SimpleGrid>

          <Card withBorder radius="md" p="md" data-testid="insights-best-time">
            <Text fw={600}>When your posts do best</Text>
            <Text size="sm" mt={4}>
              {view.slots.bestDay || view.slots.bestHour ? (
                <>
                  {view.slots.bestDay && <>Best day: <b>{view.slots.bestDay.label}</b> ({view.slots.bestDay.mean.toFixed(1)} interactions a post from {view.slots.bestDay.posts} posts). </>}
                  {view.slots.bestHour && <>Best hour: <b>{view.slots.bestHour.label}</b> ({view.slots.bestHour.mean.toFixed(1)} from {view.slots.bestHour.posts} posts). </>}
                </>
              ) : null}
              <Text span c="dimmed" size="sm">{view.slots.note} Times are in {view.zone}; this uses all your posts up to the period’s end.</Text>
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2 }} mt="sm">
              <BreakdownChart groups={view.slots.weekdays} testid="insights-weekdays" short across />
              <BreakdownChart groups={view.slots.hours.filter((h) => h.posts > 0)} testid="insights-hours" across />
            </SimpleGrid>
          </Card>

          <Card withBorder radius="md" p="md">
            <Text fw={600} mb="xs">Every post in this period</Text>
            <PostsTable view={view} channelName={channelName} />
          </Card>
        </>
      )}
    </Stack>
  );
}
