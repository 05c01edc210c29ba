import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { ChannelView } from '../../api/types';

const api = vi.hoisted(() => ({ setImageRoute: vi.fn() }));
vi.mock('../../api/channels', () => ({ setImageRoute: api.setImageRoute }));

import { ImageRoute } from './ImageRoute';

const zero = '0001-01-01T00:00:00Z';
function channel(images: ChannelView['images'], platform = 'instagram'): ChannelView {
  return {
    id: 'instagram:1784', platform, accountId: '1784', name: 'Smile Dental', handle: '@smiledental', baseUrl: 'https://graph.facebook.com/v23.0',
    pageId: '100200300', expiresAt: zero, needsReconnect: false, problemMessage: '', lastTestAt: zero, lastTestUrl: '', lastTestId: '',
    connectedAt: zero, updatedAt: zero, title: 'Instagram', state: 'connected', daysLeft: -1, message: 'Ready to post.', images,
  };
}
const wrap = (c: ChannelView) => render(<MantineProvider><ImageRoute c={c} /></MantineProvider>);

beforeEach(() => api.setImageRoute.mockReset());

describe('ImageRoute', () => {
  it('says images go through the Facebook Page, with no choice when there is no bucket', () => {
    wrap(channel({ route: 'page', canChoose: false, note: 'Images go through your Facebook Page — no storage bucket needed.' }));
    expect(screen.getByTestId('instagram-image-note')).toHaveTextContent('no storage bucket needed');
    expect(screen.queryByRole('radiogroup')).toBeNull();
  });

  it('offers the bucket where both routes are open, and shows a refusal in words', async () => {
    api.setImageRoute.mockRejectedValueOnce({ code: 'invalid', message: 'No storage bucket is connected.' });
    wrap(channel({ route: 'page', canChoose: true, note: 'Images go through your Facebook Page — no storage bucket needed.' }));
    fireEvent.click(screen.getByText('Through the storage bucket'));
    await waitFor(() => expect(api.setImageRoute).toHaveBeenCalledWith('instagram:1784', 'bucket'));
    expect(await screen.findByText('No storage bucket is connected.')).toBeInTheDocument();
  });

  it('warns when neither route is set up, and is absent for other platforms', () => {
    const { unmount } = wrap(channel({ route: '', canChoose: false, note: 'Instagram cannot take images yet.' }));
    expect(screen.getByTestId('instagram-image-note')).toHaveTextContent('cannot take images yet');
    unmount();
    wrap(channel({ route: '', canChoose: false, note: '' }, 'mastodon'));
    expect(screen.queryByTestId('instagram-image-route')).toBeNull();
  });
});
