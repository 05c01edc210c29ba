import type { ChannelCheck } from '../../api/types';

/** "Image: 1080×1080" for a channel whose post carries an image (a plain one reads "as it is"); undefined when it carries none. */
export function imageLine(checks: ChannelCheck[], channel: string): string | undefined {
  const imgs = checks.find((k) => k.channel === channel)?.images ?? [];
  if (imgs.length === 0) return undefined;
  const sizes = imgs.map((i) => (i.width ? `${i.width}×${i.height}` : 'as it is'));
  return `${imgs.length === 1 ? 'Image' : 'Images'}: ${sizes.join(', ')}`;
}

/**
 * The checks whose design goes in another size than the platform takes, for
 * the channels ticked to publish to (by the draft's channel name): the panel
 * says so before anything is sent, never silently.
 */
export function sizeNotes(checks: ChannelCheck[], ticked: string[]): ChannelCheck[] {
  return checks.filter((k) => k.sizeNote && ticked.includes(k.channel));
}
