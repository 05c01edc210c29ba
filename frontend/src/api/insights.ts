import * as Insights from '../../wailsjs/go/service/InsightsService';
import type { insights, service } from '../../wailsjs/go/models';

// Types mirror app/insights and app/service/insights.go (JSON of embedded
// Go structs is flat, which the generated models do not show).

export type PeriodKind = '7d' | '30d' | '90d' | 'month' | 'custom';

export type InsightsQuery = service.InsightsQuery;

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

export type PostRow = insights.PostRow;

export type ChannelTotals = insights.ChannelTotals;

export type DayPoint = insights.DayPoint;

export type Totals = insights.Totals;

export type Group = insights.Group;

export type Slots = insights.Slots;

export type InsightsChannel = service.InsightsChannel;

/** The dashboard as the page reads it: its fields at the top level, beside the view's own. */
export type InsightsView = Omit<service.InsightsView, 'dashboard'> & insights.Dashboard;

export type Snapshot = insights.Snapshot;

export type PostNumbers = service.PostNumbers;

export interface CollectProgress {
  channel: string;
  platform: string;
  step: 'reading' | 'done' | 'failed';
  read: number;
  total: number;
  message?: string;
}

// The page reads the dashboard's fields at the top level.
export const insightsDashboard = async (q: InsightsQuery): Promise<InsightsView> => {
  const { dashboard, ...view } = await Insights.Dashboard(q);
  return { ...dashboard, ...view };
};
export const refreshInsights = () => Insights.Refresh();
export const exportInsightsCSV = (q: InsightsQuery) => Insights.ExportCSV(q);
export const monthlyReport = (month: string) => Insights.MonthlyReport(month);
export const postNumbers = (draftId: number) => Insights.Post(draftId);

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
