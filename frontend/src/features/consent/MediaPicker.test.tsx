import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';

const api = vi.hoisted(() => ({ uploadMedia: vi.fn() }));
vi.mock('../../api/consent', () => ({ uploadMedia: api.uploadMedia }));

import { MediaPicker, sizeText, type PickedMedia } from './MediaPicker';

const sha = (c: string) => c.repeat(64);

describe('MediaPicker', () => {
  it('shows a video and a recording as tiles with a player, name and size', () => {
    const value: PickedMedia[] = [
      { sha256: sha('a'), url: '/media/' + sha('a'), kind: 'photo', label: 'Photo 1' },
      { sha256: sha('b'), url: '/media/' + sha('b'), kind: 'video', label: 'Video 1', fileName: 'smile.mp4', size: 3.5 * (1 << 20) },
      { sha256: sha('c'), url: '/media/' + sha('c'), kind: 'audio', label: 'Recording 1' },
    ];
    const { container } = render(<MantineProvider><MediaPicker value={value} onChange={() => undefined} /></MantineProvider>);
    const tiles = screen.getAllByTestId('media-av-tile');
    expect(tiles).toHaveLength(2);
    expect(tiles[0].textContent).toContain('Video 1');
    expect(tiles[0].textContent).toContain('smile.mp4 · 3.5 MB');
    expect(tiles[1].textContent).toContain('Recording 1');
    const video = container.querySelector('video');
    const audio = container.querySelector('audio');
    expect(video?.getAttribute('src')).toBe('/media/' + sha('b'));
    expect(video?.hasAttribute('controls')).toBe(true);
    expect(audio?.getAttribute('src')).toBe('/media/' + sha('c'));
    // The photo keeps its type choice; a clip's kind comes from the file.
    expect(screen.getAllByLabelText('Photo 1 type').length).toBeGreaterThan(0);
    expect(screen.queryAllByLabelText(/^Photo [23] type$/)).toHaveLength(0);
  });

  it('takes the kind of a dropped file from what the app found in it', async () => {
    api.uploadMedia.mockResolvedValue({ sha256: sha('d'), url: '/media/' + sha('d'), kind: 'video', mime: 'video/quicktime', size: 2048, width: 0, height: 0 });
    const onChange = vi.fn();
    const existing: PickedMedia[] = [{ sha256: sha('e'), url: '/media/' + sha('e'), kind: 'video', label: 'Video 1' }];
    render(<MantineProvider><MediaPicker value={existing} onChange={onChange} /></MantineProvider>);
    const input = screen.getByTestId('media-dropzone').querySelector('input[type=file]') as HTMLInputElement;
    expect(input.accept).toContain('video/quicktime');
    expect(input.accept).toContain('audio/mpeg');
    fireEvent.change(input, { target: { files: [new File(['not really a film'], 'visit.mov', { type: 'video/quicktime' })] } });
    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(api.uploadMedia).toHaveBeenCalledWith('visit.mov', expect.any(String));
    const next = onChange.mock.calls[0][0] as PickedMedia[];
    expect(next).toHaveLength(2);
    expect(next[1]).toMatchObject({ kind: 'video', label: 'Video 2', fileName: 'visit.mov', size: 2048 });
  });

  it('writes sizes plainly', () => {
    expect(sizeText(500)).toBe('1 KB');
    expect(sizeText(51 * (1 << 20))).toBe('51.0 MB');
  });
});
