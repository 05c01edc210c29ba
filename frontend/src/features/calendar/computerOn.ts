const platformNames: Record<string, string> = {
  facebook: 'Facebook', mastodon: 'Mastodon', bluesky: 'Bluesky', instagram: 'Instagram', linkedin: 'LinkedIn', google: 'Google', x: 'X',
};

/**
 * Says on the calendar itself which scheduled posts need this computer on:
 * every connected channel but Facebook, which keeps its own scheduled posts.
 */
export function computerOnText(platforms: string[]): string {
  const local = [...new Set(platforms)].filter((p) => p !== 'facebook').map((p) => platformNames[p] ?? p);
  if (!local.length) return '';
  const list = local.length === 1 ? local[0] : `${local.slice(0, -1).join(', ')} and ${local[local.length - 1]}`;
  const fb = platforms.includes('facebook') ? ' Facebook keeps its own scheduled posts and sends them even if this computer is off.' : '';
  return `Scheduled posts to ${list} go out from this computer: leave it on, with PracticePost open or in the background, at their time.${fb}`;
}
