import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import type { JobView } from '../../api/types';
import { jobView } from '../../test/fixtures';

const zero = '0001-01-01T00:00:00Z';
const job = (p: Partial<JobView>): JobView => jobView({
  id: 1, draftId: '4', channel: 'mastodon:@a', platform: 'mastodon', title: 'Mastodon', channelName: '@a', state: 'queued', text: 'Open day on Saturday',
  scheduledAt: '2026-12-13T09:30:00Z', zone: 'Europe/London', errorKind: '', errorMessage: '', platformMessage: '', remoteId: '', remoteUrl: '',
  remoteScheduledAt: zero, publishedAt: zero, takedown: '', takedownError: '',
  ...p,
});

const queue = [
  job({ id: 1, state: 'queued' }), job({ id: 2, platform: 'facebook', title: 'Facebook', state: 'scheduled_remote' }),
  job({ id: 3, draftId: '9', state: 'missed', text: 'Missed one' }),
];
const recent = [
  job({ id: 5, draftId: '7', state: 'published', text: 'Brushing tips', publishedAt: '2026-12-05T10:00:00Z', remoteUrl: 'https://masto.example/@a/1' }),
  job({ id: 6, draftId: '7', platform: 'bluesky', title: 'Bluesky', state: 'published', text: 'Brushing tips', publishedAt: '2026-12-05T10:00:00Z', remoteUrl: 'https://bsky.example/p/1' }),
];
vi.mock('../../api/publish', async (orig) => ({
  ...(await orig<typeof import('../../api/publish')>()),
  queuedJobs: () => Promise.resolve(queue),
  recentJobs: () => Promise.resolve(recent),
}));
vi.mock('../../api/system', async (orig) => ({ ...(await orig<typeof import('../../api/system')>()), onEvent: () => () => undefined }));

import { WeekCard } from './WeekCard';

describe('WeekCard', () => {
  it('lists each post once with its channels, what went out with its links, and opens the post', async () => {
    const go = vi.fn();
    render(<MantineProvider><WeekCard go={go} /></MantineProvider>);
    const next = await screen.findByRole('button', { name: 'Open day on Saturday' });
    expect(screen.getByText(/Sun 13 Dec, 09:30 · Mastodon, Facebook/)).toBeInTheDocument();
    // A missed post is the attention card's, not "going out next".
    expect(screen.queryByText('Missed one')).toBeNull();
    expect(screen.getAllByRole('button', { name: 'Brushing tips' })).toHaveLength(1);
    expect(screen.getByRole('link', { name: /Mastodon/ })).toHaveAttribute('href', 'https://masto.example/@a/1');
    expect(screen.getByRole('link', { name: /Bluesky/ })).toHaveAttribute('href', 'https://bsky.example/p/1');
    await userEvent.click(next);
    expect(go).toHaveBeenCalledWith('drafts/4');
  });
});
