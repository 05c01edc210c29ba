import type { ChannelVerdict } from '../../api/types';

// The channels a post can go to (a consent also covers uses that are not
// posts, such as the practice's website or print).
const postChannels = ['facebook', 'instagram', 'linkedin', 'google_business', 'mastodon', 'bluesky', 'x'];

/**
 * The channels a new post with a testimonial starts with: those its consent
 * lets it go out on today. Both doors to such a post (the testimonial's
 * "Use in a post" and the Studio's, after "Make an image") use it, so neither
 * opens with a channel the consent refuses ticked and a "Must fix" waiting.
 */
export function allowedPostChannels(verdicts: ChannelVerdict[]): string[] {
  return verdicts.filter((v) => v.mayPublish && postChannels.includes(v.channel)).map((v) => v.channel);
}
