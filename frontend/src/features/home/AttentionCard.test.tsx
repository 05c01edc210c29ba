import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import type { LeftoverView } from '../../api/types';
import { setPracticeCountry } from '../../format';

const state = vi.hoisted(() => ({
  left: [] as LeftoverView[],
  afterRetry: [] as LeftoverView[],
  retries: 0,
}));
vi.mock('../../api/publish', async (orig) => ({
  ...(await orig<typeof import('../../api/publish')>()),
  queuedJobs: () => Promise.resolve([]),
  hostedLeftovers: () => Promise.resolve(state.left),
  removeHostedLeftovers: () => {
    state.retries++;
    return Promise.resolve(state.afterRetry);
  },
}));
vi.mock('../../api/channels', async (orig) => ({ ...(await orig<typeof import('../../api/channels')>()), listChannels: () => Promise.resolve([]) }));
vi.mock('../../api/system', async (orig) => ({ ...(await orig<typeof import('../../api/system')>()), onEvent: () => () => undefined }));

import { AttentionCard } from './AttentionCard';

const page: LeftoverView = {
  channel: 'instagram:1', title: 'Instagram (Smile Dental)', count: 2, since: '2026-12-03T10:00:00Z', where: 'page',
  advice: 'PracticePost tries again each time it starts. If the Instagram sign-in has run out, reconnect Instagram in Channels, then click Try again.',
};

describe('AttentionCard: images left on a host', () => {
  beforeEach(() => {
    setPracticeCountry('GB');
    state.retries = 0;
  });

  it('stays hidden when nothing needs attention', async () => {
    state.left = [];
    const { container } = render(<MantineProvider><AttentionCard go={vi.fn()} /></MantineProvider>);
    await new Promise((r) => setTimeout(r, 20));
    expect(container.querySelector('[data-testid="attention-card"]')).toBeNull();
  });

  it('says where the images are since when, what to do, and clears once removed', async () => {
    state.left = [page];
    state.afterRetry = [];
    render(<MantineProvider><AttentionCard go={vi.fn()} /></MantineProvider>);
    expect(await screen.findByText(/2 images for Instagram \(Smile Dental\) are still on your Facebook Page/)).toBeInTheDocument();
    expect(screen.getByText(/, since 3 Dec 2026$/)).toBeInTheDocument();
    expect(screen.getByText(/reconnect Instagram in Channels/)).toBeInTheDocument();
    expect(screen.getByText(/2 images not yet removed after posting/)).toBeInTheDocument();
    // No post needs the calendar, so the card does not send the manager there.
    expect(screen.queryByRole('button', { name: 'Open the calendar' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Try removing them again' }));
    expect(state.retries).toBe(1);
    await vi.waitFor(() => expect(screen.queryByTestId('attention-card')).toBeNull());
  });

  it('keeps the list and says so when some are still there', async () => {
    state.left = [{ ...page, count: 1, where: 'bucket', title: 'Instagram (Smile Dental)', advice: 'Connect it again in Settings → Media hosting, then click Try again.' }];
    state.afterRetry = state.left;
    render(<MantineProvider><AttentionCard go={vi.fn()} /></MantineProvider>);
    expect(await screen.findByText(/1 image for Instagram \(Smile Dental\) is still in the storage bucket/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try removing them again' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Some are still there');
    expect(screen.getByTestId('hosted-leftovers')).toBeInTheDocument();
  });
});
