import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlatformInfo } from './platforms';

const ask = vi.fn<() => Promise<PlatformInfo[]>>();
vi.mock('../../wailsjs/go/service/ChannelService', () => ({ Platforms: () => ask() }));

const info = (name: string, channel: string, feedCut: number): PlatformInfo => ({
  name, channel, title: name, counting: 'runes', maxText: 0, maxTextBytes: 0, maxImages: 1,
  feedCut, feedAspect: 1, feedAspectLabel: '1:1', size: 'square', altText: false, nativeSchedule: false, postMetrics: true, replies: 'comments', replyMaxBytes: 0,
});
const table = [info('instagram', 'instagram', 125), info('google', 'google_business', 300)];

// Each test starts with a fresh module, so the cache of one does not leak into the next.
const load = () => import('./platforms');
beforeEach(() => {
  vi.resetModules();
  ask.mockReset();
});

describe('listPlatforms', () => {
  it('asks the backend once and shares the table', async () => {
    ask.mockResolvedValue(table);
    const { listPlatforms } = await load();
    expect(await listPlatforms()).toEqual(table);
    expect(await listPlatforms()).toEqual(table);
    expect(ask).toHaveBeenCalledTimes(1);
  });
  it('asks again after a failure (the data file was locked)', async () => {
    ask.mockRejectedValueOnce(new Error('locked')).mockResolvedValue(table);
    const { listPlatforms } = await load();
    await expect(listPlatforms()).rejects.toThrow('locked');
    expect(await listPlatforms()).toEqual(table);
    expect(ask).toHaveBeenCalledTimes(2);
  });
});

describe('translating names through the table', () => {
  it('gives the consent channel of a stored platform name, an unknown one as spelled', async () => {
    const { channelForPlatform } = await load();
    expect(channelForPlatform(table, 'google')).toBe('google_business');
    expect(channelForPlatform(table, 'instagram')).toBe('instagram');
    expect(channelForPlatform(table, 'myspace')).toBe('myspace');
    expect(channelForPlatform(null, 'google')).toBe('google');
  });
  it('finds a descriptor by consent channel', async () => {
    const { platformForChannel } = await load();
    expect(platformForChannel(table, 'google_business')?.feedCut).toBe(300);
    expect(platformForChannel(table, 'google')).toBeUndefined();
    expect(platformForChannel(null, 'instagram')).toBeUndefined();
  });
  it('says whether a platform gives numbers per post; unknown or not yet loaded: yes', async () => {
    const { givesPostNumbers } = await load();
    const noPosts = [...table, { ...table[1], name: 'gbp-like', postMetrics: false }];
    expect(givesPostNumbers(noPosts, 'gbp-like')).toBe(false);
    expect(givesPostNumbers(noPosts, 'instagram')).toBe(true);
    expect(givesPostNumbers(noPosts, 'myspace')).toBe(true);
    expect(givesPostNumbers(null, 'gbp-like')).toBe(true);
  });
});
