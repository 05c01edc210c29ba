import { describe, expect, it } from 'vitest';
import { agoText, isSet, practiceDay, practiceTime } from './insights';

describe('insights formatting', () => {
  it('writes days in the practice’s format', () => {
    expect(practiceDay('2026-12-06', 'GB')).toBe('6 Dec 2026');
    expect(practiceDay('2026-12-06', 'US')).toBe('Dec 6, 2026');
  });
  it('writes times 24-hour for a UK practice and 12-hour for a US one, in the practice’s zone', () => {
    // 14:05 UTC is 14:05 in London in December and 9:05 AM in New York.
    expect(practiceTime('2026-12-06T14:05:00Z', 'GB', 'Europe/London')).toBe('6 Dec 2026, 14:05');
    expect(practiceTime('2026-12-06T14:05:00Z', 'US', 'America/New_York')).toBe('Dec 6, 2026, 9:05 AM');
  });
  it('says how long ago the numbers were read', () => {
    const now = Date.parse('2026-12-06T10:00:00Z');
    expect(agoText('0001-01-01T00:00:00Z', now)).toBe('not read yet');
    expect(agoText('2026-12-06T09:59:40Z', now)).toBe('updated just now');
    expect(agoText('2026-12-06T09:59:00Z', now)).toBe('updated 1 minute ago');
    expect(agoText('2026-12-06T09:35:00Z', now)).toBe('updated 25 minutes ago');
    expect(agoText('2026-12-06T07:00:00Z', now)).toBe('updated 3 hours ago');
    expect(agoText('2026-12-02T10:00:00Z', now)).toBe('updated 4 days ago');
    expect(isSet('')).toBe(false);
  });
});
