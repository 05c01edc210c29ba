import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';

const api = vi.hoisted(() => ({ insightsDashboard: vi.fn(), refreshInsights: vi.fn() }));
vi.mock('../../api/insights', async (orig) => ({
  ...(await orig<typeof import('../../api/insights')>()),
  insightsDashboard: api.insightsDashboard,
  refreshInsights: api.refreshInsights,
}));
vi.mock('../../api/system', () => ({ onEvent: () => () => undefined }));
vi.mock('../../api/platforms', () => ({ usePlatforms: () => [], givesPostNumbers: () => true }));

import { InsightsPage } from './InsightsPage';

const group = (key: string) => ({ key, label: key, posts: 0, interactions: 0, mean: 0, meanRate: 0, rated: 0 });

// A London practice's post sent at 00:30 on 7 June (summer time) is 23:30
// UTC on 6 June; its follower growth is read from 4 June only.
function view() {
  const post = {
    jobId: 1, draftId: '1', channel: 'mastodon:1', platform: 'mastodon', title: 'Late post', url: '', publishedAt: '2026-06-06T23:30:00Z',
    pillar: 'tip', awarenessId: '', testimonial: false, thumb: '', removed: false, reactions: 3, comments: 0, shares: 0, quotes: 0, saves: 0,
    views: null, reach: null, clicks: null, interactions: 3, rate: 0, hasRate: false, basis: '', readAt: '2026-06-07', read: true,
  };
  const totals = { posts: 1, interactions: 3, reach: null, clicks: null, growth: 4, growthSince: '2026-06-04' };
  const channel = {
    id: 'mastodon:1', platform: 'mastodon', name: 'Mastodon · @smile', posts: 1, interactions: 3, reactions: 3, comments: 0, shares: 0, saves: 0,
    reach: null, views: null, clicks: null, followers: 204, growth: 4, growthSince: '2026-06-04', rate: 0, hasRate: false, basis: 'followers',
    basisNote: 'Mastodon: interactions ÷ followers.', calls: null, directions: null,
  };
  return {
    label: 'Last 7 days', zone: 'Europe/London', country: 'GB', available: [], updatedAt: '0001-01-01T00:00:00Z', now: '2026-06-08T10:00:00Z',
    // As insightsDashboard gives it: the dashboard's fields at the top level.
    period: { from: '2026-06-02', to: '2026-06-08' }, totals, previous: { ...totals, growth: null, growthSince: '' }, channels: [channel], series: [], posts: [post],
    pillars: [group('tip')], awareness: [], testimonial: [], slots: { weekdays: [], hours: [], posts: 1, bestDay: null, bestHour: null, note: '' },
  };
}

describe('InsightsPage', () => {
  it('shows the day a post went out in the practice’s zone', async () => {
    api.refreshInsights.mockResolvedValue(undefined);
    api.insightsDashboard.mockResolvedValue(view());
    render(<MantineProvider><InsightsPage /></MantineProvider>);
    const table = await screen.findByTestId('insights-posts-table');
    expect(within(table).getByText(/Jun 2026/).textContent).toBe('7 Jun 2026');
    const top = await screen.findByTestId('insights-top-posts');
    expect(within(top).getByText(/Jun 2026/).textContent).toContain('7 Jun 2026');
  });

  it('says when follower growth covers only part of the period', async () => {
    api.refreshInsights.mockResolvedValue(undefined);
    api.insightsDashboard.mockResolvedValue(view());
    render(<MantineProvider><InsightsPage /></MantineProvider>);
    expect((await screen.findByTestId('insights-growth-since')).textContent).toBe('partly: since 4 Jun 2026');
    const channels = await screen.findByTestId('insights-channel-table');
    expect(within(channels).getByText('since 4 Jun 2026')).toBeTruthy();
  });
});
