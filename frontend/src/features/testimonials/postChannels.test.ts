import { describe, expect, it } from 'vitest';
import type { ChannelVerdict } from '../../api/types';
import { allowedPostChannels } from './postChannels';

const v = (channel: string, ok: boolean): ChannelVerdict => ({
  channel, label: channel, mayPublish: ok, mayBoost: false, problems: [], boostProblems: [],
});

describe('allowedPostChannels', () => {
  it('keeps the post channels the consent allows, in its order', () => {
    expect(allowedPostChannels([v('facebook', true), v('instagram', false), v('mastodon', true), v('bluesky', true)]))
      .toEqual(['facebook', 'mastodon', 'bluesky']);
  });
  it('leaves out uses that are not posts, and gives nothing when nothing is allowed', () => {
    expect(allowedPostChannels([v('website', true), v('print', true), v('x', true)])).toEqual(['x']);
    expect(allowedPostChannels([v('facebook', false), v('instagram', false)])).toEqual([]);
    expect(allowedPostChannels([])).toEqual([]);
  });
});
