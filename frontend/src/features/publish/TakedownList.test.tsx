import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { TakedownItem } from '../../api/publish';

const api = vi.hoisted(() => ({
  takedownItems: vi.fn(),
  takedown: vi.fn(),
  markRemoved: vi.fn(),
}));
vi.mock('../../api/publish', () => ({
  PublishEvents: { progress: 'publish:progress' },
  takedownItems: api.takedownItems,
  takedown: api.takedown,
  markRemoved: api.markRemoved,
}));
vi.mock('../../api/system', () => ({ onEvent: () => () => undefined }));

import { TakedownList } from './TakedownList';

const steps = 'Instagram does not let apps delete posts. Delete it yourself in the Instagram app: open the post, tap ⋯ and choose Delete. Then mark it as removed here.';
function item(over: Partial<TakedownItem>): TakedownItem {
  return {
    jobId: 1, channel: 'mastodon:@smile', platform: 'mastodon', remoteId: '113', url: 'https://example.social/@smile/113',
    publishedAt: '2026-11-22T09:00:00Z', scheduled: false, takedown: '', manual: false, removedAt: '', ...over,
  };
}
const instagram = item({ jobId: 2, channel: 'instagram:1784', platform: 'instagram', remoteId: '1789', url: 'https://www.instagram.com/p/C1/', manual: true, instructions: steps });

const wrap = (ui: React.ReactNode) => render(<MantineProvider>{ui}</MantineProvider>);

beforeEach(() => {
  Object.values(api).forEach((f) => f.mockReset());
});

describe('TakedownList', () => {
  it('offers Delete where the platform can delete, and the platform’s steps where it cannot', async () => {
    api.takedownItems.mockResolvedValue([item({}), instagram]);
    wrap(<TakedownList consentId={5} />);
    const masto = await screen.findByTestId('takedown-mastodon');
    expect(within(masto).getByTestId('takedown-delete')).toBeInTheDocument();
    expect(within(masto).queryByTestId('takedown-mark')).toBeNull();
    const ig = screen.getByTestId('takedown-instagram');
    expect(within(ig).queryByTestId('takedown-delete')).toBeNull();
    expect(within(ig).getByTestId('takedown-instructions')).toHaveTextContent('tap ⋯ and choose Delete');
    expect(within(ig).getByTestId('takedown-open')).toHaveAttribute('href', 'https://www.instagram.com/p/C1/');
  });

  it('asks before recording a manual removal, sends the note, and shows it removed', async () => {
    api.takedownItems.mockResolvedValueOnce([instagram]).mockResolvedValue([
      { ...instagram, manual: false, instructions: undefined, takedown: 'removed_manually', removedAt: '2026-11-23T10:00:00Z', removedBy: 'practice manager', note: 'Sam did it' },
    ]);
    api.markRemoved.mockResolvedValue({});
    wrap(<TakedownList consentId={5} />);
    fireEvent.click(await screen.findByTestId('takedown-mark'));
    expect(api.markRemoved).not.toHaveBeenCalled();
    fireEvent.change(screen.getByTestId('takedown-note'), { target: { value: 'Sam did it' } });
    fireEvent.click(screen.getByTestId('takedown-confirm'));
    await waitFor(() => expect(screen.getByTestId('takedown-instagram')).toHaveAttribute('data-state', 'removed_manually'));
    expect(api.markRemoved).toHaveBeenCalledWith(2, 'Sam did it');
    expect(screen.getByTestId('takedown-removed')).toHaveTextContent('by the practice manager');
    expect(screen.getByText('“Sam did it”')).toBeInTheDocument();
    expect(screen.getByText('Every post that used this consent has been taken down.')).toBeInTheDocument();
  });

  it('keeps the confirm step open and shows the refusal when marking fails', async () => {
    api.takedownItems.mockResolvedValue([instagram]);
    api.markRemoved.mockRejectedValue(JSON.stringify({ code: 'conflict', message: 'This post is not live on Instagram, so there is nothing to mark as removed.' }));
    wrap(<TakedownList consentId={5} />);
    fireEvent.click(await screen.findByTestId('takedown-mark'));
    fireEvent.click(screen.getByTestId('takedown-confirm'));
    expect(await screen.findByTestId('takedown-message')).toHaveTextContent('nothing to mark as removed');
    expect(screen.getByTestId('takedown-confirm-box')).toBeInTheDocument();
  });
});
