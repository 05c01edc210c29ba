import { describe, expect, it } from 'vitest';
import type { ChannelCheck } from '../../api/types';
import { imageLine, sizeNotes } from './channelImages';

const img = (width: number, height: number) => ({ mediaId: 1, sha256: 'h', altText: 'a', sizeId: width ? 'x' : '', width, height, wanted: '', url: '/m' });
const check = (channel: string, images: ReturnType<typeof img>[], sizeNote = ''): ChannelCheck =>
  ({ channel, label: channel, text: '', link: '', counters: [], blocked: false, note: '', images, sizeNote }) as ChannelCheck;

const checks = [
  check('facebook', [img(1080, 1080)]),
  check('mastodon', [img(1200, 630)], 'This design has no 1600×900 size kept, so Mastodon gets its 1200×630 size instead.'),
  check('bluesky', [img(0, 0), img(1600, 900)]),
  check('x', []),
];

describe('imageLine', () => {
  it("names the size each channel sends, a plain image as it is, and nothing for a post without one", () => {
    expect(imageLine(checks, 'facebook')).toBe('Image: 1080×1080');
    expect(imageLine(checks, 'bluesky')).toBe('Images: as it is, 1600×900');
    expect(imageLine(checks, 'x')).toBeUndefined();
    expect(imageLine(checks, 'linkedin')).toBeUndefined();
  });
});

describe('sizeNotes', () => {
  it('says where a design goes in another size, for the ticked channels only', () => {
    expect(sizeNotes(checks, ['facebook', 'mastodon']).map((k) => k.channel)).toEqual(['mastodon']);
    expect(sizeNotes(checks, ['facebook', 'bluesky'])).toEqual([]);
  });
});
