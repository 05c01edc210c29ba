import * as Insights from '../../wailsjs/go/service/InsightsService';

// Types mirror app/insights and app/service/insights.go (JSON of embedded
// Go structs is flat, which the generated models do not show).

export type PeriodKind = '7d' | '30d' | '90d' | 'month' | 'custom';

export interface InsightsQuery {
  period: PeriodKind;
  month: string; // "2026-11"
  from: string; // "2026-11-01"
  to: string;
  channels: string[];
}

export interface Counts {
  reactions: number;
  comments: number;
  shares: number;
  quotes: number;
  saves: number;
  views: number | null;
  reach: number | null;
  clicks: number | null;
}

export type Basis = 'reach' | 'views' | 'followers' | '';

export interface PostRow extends Counts {
  jobId: number;
  draftId: string;
  channel: string;
  platform: string;
  title: string;
  url: string;
  publishedAt: string;
  pillar: string;
  awarenessId: string;
  testimonial: boolean;
  thumb: string;
  removed: boolean;
  interactions: number;
  rate: number;
  hasRate: boolean;
  basis: Basis;
  readAt: string;
  read: boolean;
}

export interface ChannelTotals {
  id: string;
  platform: string;
  name: string;
  posts: number;
  interactions: number;
  reactions: number;
  comments: number;
  shares: number;
  saves: number;
  reach: number | null;
  views: number | null;
  clicks: number | null;
  followers: number | null;
  growth: number | null;
  rate: number;
  hasRate: boolean;
  basis: Basis;
  basisNote: string;
  calls: number | null;
  directions: number | null;
}

export interface DayPoint {
  day: string;
  channel: string;
  interactions: number;
  views: number;
}

export interface Totals {
  posts: number;
  interactions: number;
  reach: number | null;
  clicks: number | null;
  growth: number | null;
}

export interface Group {
  key: string;
  label: string;
  posts: number;
  interactions: number;
  mean: number;
  meanRate: number;
  rated: number;
}

export interface Slots {
  weekdays: Group[];
  hours: Group[];
  posts: number;
  bestDay: Group | null;
  bestHour: Group | null;
  note: string;
}

export interface InsightsChannel {
  id: string;
  platform: string;
  title: string;
  name: string;
  basisNote: string;
  lastOkAt: string;
  nextAt: string;
  problem: string;
  errorKind: string;
  note: string;
  reading: boolean;
}

export interface InsightsView {
  period: { from: string; to: string };
  totals: Totals;
  previous: Totals;
  channels: ChannelTotals[];
  series: DayPoint[];
  posts: PostRow[];
  pillars: Group[];
  awareness: Group[];
  testimonial: Group[];
  slots: Slots;
  label: string;
  zone: string;
  country: string;
  available: InsightsChannel[];
  updatedAt: string;
  now: string;
}

export interface Snapshot extends Counts {
  jobId: number;
  day: string;
  at: string;
  month: boolean;
}

export interface PostNumbers {
  channel: string;
  platform: string;
  title: string;
  url: string;
  note: string;
  readings: Snapshot[];
  latest: Snapshot | null;
}

export interface CollectProgress {
  channel: string;
  platform: string;
  step: 'reading' | 'done' | 'failed';
  read: number;
  total: number;
  message?: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
// The page reads the dashboard's fields at the top level.
export const insightsDashboard = async (q: InsightsQuery): Promise<InsightsView> => {
  const v = (await Insights.Dashboard(q as any)) as any;
  return { ...v.dashboard, ...v } as InsightsView;
};
export const refreshInsights = () => Insights.Refresh();
export const exportInsightsCSV = (q: InsightsQuery) => Insights.ExportCSV(q as any);
export const monthlyReport = (month: string) => Insights.MonthlyReport(month);
export const postNumbers = (draftId: number) => Insights.Post(draftId) as unknown as Promise<PostNumbers[]>;

export const InsightsEvents = { progress: 'insights:progress', updated: 'insights:updated' } as const;

/** A zero Go time ("0001-01-01T00:00:00Z") means "never". */
export const isSet = (iso: string | null | undefined) => !!iso && !iso.startsWith('0001-');

/** "6 Dec 2026" for a UK practice, "Dec 6, 2026" for a US one. */
export function practiceDay(day: string, country: string): string {
  const d = new Date(day.length === 10 ? day + 'T12:00:00Z' : day);
  if (Number.isNaN(d.getTime())) return day;
  return d.toLocaleDateString(country === 'US' ? 'en-US' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: day.length === 10 ? 'UTC' : undefined });
}

/** "6 Dec 2026, 09:30" (UK, 24-hour) or "Dec 6, 2026, 9:30 AM" (US) in the practice's zone. */
export function practiceTime(iso: string, country: string, zone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const us = country === 'US';
  return d.toLocaleString(us ? 'en-US' : 'en-GB', {
    day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: us, timeZone: zone || undefined,
  });
}

/** "updated 5 minutes ago", for the page header. */
export function agoText(iso: string, now: number): string {
  if (!isSet(iso)) return 'not read yet';
  const mins = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60000));
  if (mins < 1) return 'updated just now';
  if (mins < 60) return `updated ${mins} minute${mins === 1 ? '' : 's'} ago`;
  const h = Math.round(mins / 60);
  if (h < 48) return `updated ${h} hour${h === 1 ? '' : 's'} ago`;
  return `updated ${Math.round(h / 24)} days ago`;
}
