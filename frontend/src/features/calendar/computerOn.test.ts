import { describe, expect, it } from 'vitest';
import { computerOnText } from './computerOn';

describe('computerOnText', () => {
  it('names every connected channel that needs this computer on, once', () => {
    expect(computerOnText(['mastodon', 'bluesky', 'mastodon'])).toBe(
      'Scheduled posts to Mastodon and Bluesky go out from this computer: leave it on, with PracticePost open or in the background, at their time.',
    );
  });
  it('says Facebook keeps its own, and stays quiet with only Facebook or nothing', () => {
    expect(computerOnText(['facebook', 'mastodon'])).toMatch(/^Scheduled posts to Mastodon go out .* Facebook keeps its own scheduled posts/);
    expect(computerOnText(['facebook'])).toBe('');
    expect(computerOnText([])).toBe('');
  });
  it('lists three with commas', () => {
    expect(computerOnText(['mastodon', 'bluesky', 'linkedin'])).toContain('Mastodon, Bluesky and LinkedIn');
  });
});
