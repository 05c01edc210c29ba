import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { PostNumbers } from '../../api/insights';
import type { CalendarPost } from '../../api/types';
import { jobView } from '../../test/fixtures';

const reading = (day: string, reactions: number, comments: number, shares: number, reach: number | null) => ({
  jobId: 5, day, at: day + 'T08:00:00Z', month: false, reactions, comments, shares, quotes: 0, saves: 0, views: null, reach, clicks: null,
});
// Draft 7 went out on two channels; draft 8 has not gone out yet.
const numbers: Record<number, PostNumbers[]> = {
  7: [
    { channel: 'facebook:1', platform: 'facebook', title: 'Facebook', url: 'https://facebook.example/7', note: '',
      readings: [reading('2026-12-04', 2, 0, 0, 40), reading('2026-12-05', 9, 3, 1, 210)], latest: reading('2026-12-05', 9, 3, 1, 210) },
    { channel: 'mastodon:1', platform: 'mastodon', title: 'Mastodon', url: '', note: 'Not read yet: numbers come within a few hours.',
      readings: [], latest: null },
  ],
  8: [],
};
const asked: number[] = [];
vi.mock('../../api/insights', async (orig) => ({
  ...(await orig<typeof import('../../api/insights')>()),
  postNumbers: (id: number) => { asked.push(id); return Promise.resolve(numbers[id] ?? []); },
}));
vi.mock('../../api/system', async (orig) => ({ ...(await orig<typeof import('../../api/system')>()), onEvent: () => () => undefined }));

import { PostPanel } from './PostPanel';

const post = (id: number): CalendarPost => ({
  id, title: 'Brush for two minutes', start: '2026-12-03T09:30:00Z', status: 'published', pillar: 'tip', channels: ['facebook:1', 'mastodon:1'],
  zone: 'Europe/London', localNote: '',
});
const jobs = [
  jobView({ id: 5, draftId: '7', channel: 'facebook:1', platform: 'facebook', title: 'Facebook', state: 'published', publishedAt: '2026-12-03T09:30:00Z' }),
  jobView({ id: 6, draftId: '7', channel: 'mastodon:1', platform: 'mastodon', title: 'Mastodon', state: 'published', publishedAt: '2026-12-03T09:30:00Z' }),
];

const open = (id: number) => render(
  <MantineProvider>
    <PostPanel post={post(id)} jobs={jobs} channels={[]} onClose={() => undefined} go={() => undefined} onChanged={() => undefined} />
  </MantineProvider>,
);

describe('PostPanel (the calendar popover)', () => {
  it('shows a published post its numbers per channel, and what is missing where it has none yet', async () => {
    open(7);
    const table = await screen.findByTestId('post-numbers');
    expect(asked).toContain(7);
    const fb = within(table).getByRole('link', { name: 'Facebook' }).closest('tr')!;
    // The last reading: 9 reactions, 3 comments, 1 share + 0 quotes, reach 210.
    expect(Array.from(fb.querySelectorAll('td')).slice(1, 5).map((c) => c.textContent)).toEqual(['9', '3', '1', '210']);
    const ma = within(table).getByText('Mastodon').closest('tr')!;
    expect(ma.textContent).toContain('Not read yet');
    // The panel's own parts are still there.
    expect(within(screen.getByTestId('post-panel')).getByRole('button', { name: 'Open the post' })).toBeInTheDocument();
  });

  it('shows no numbers for a post that has not gone out', async () => {
    open(8);
    await screen.findByTestId('post-panel');
    await vi.waitFor(() => expect(asked).toContain(8));
    expect(screen.queryByTestId('post-numbers')).toBeNull();
  });
});
