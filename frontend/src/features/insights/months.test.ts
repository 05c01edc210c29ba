import { afterEach, describe, expect, it, vi } from 'vitest';
import { dayIn } from '../../format';
import { dayInZone, lastMonths } from './months';

describe('lastMonths', () => {
  afterEach(() => vi.useRealTimers());

  it('counts back from the month today falls in, across a year end', () => {
    expect(lastMonths(3, '2026-01-15').map((m) => m.value)).toEqual(['2026-01', '2025-12', '2025-11']);
    expect(lastMonths(2, '2026-12-31')[0]).toEqual({ value: '2026-12', label: 'December 2026' });
  });

  // 23:30 UTC on 31 May is already 1 June in London (BST) but still 31 May
  // in New York: each practice sees its own current month first.
  it('starts from the practice’s month, not the UTC one', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-05-31T23:30:00Z'));
    expect(lastMonths(1, dayIn('Europe/London'))[0].value).toBe('2026-06');
    expect(lastMonths(1, dayIn('America/New_York'))[0].value).toBe('2026-05');
    vi.setSystemTime(new Date('2026-07-01T02:00:00Z'));
    expect(lastMonths(1, dayIn('Pacific/Honolulu'))[0].value).toBe('2026-06');
    expect(lastMonths(1, dayIn('Europe/London'))[0].value).toBe('2026-07');
  });
});

describe('dayInZone', () => {
  it('gives the practice’s day of an instant, not the UTC date', () => {
    expect(dayInZone('2026-06-06T23:30:00Z', 'Europe/London')).toBe('2026-06-07');
    expect(dayInZone('2026-12-07T01:00:00Z', 'America/New_York')).toBe('2026-12-06');
    expect(dayInZone('2026-06-06T23:30:00Z', '')).toBe('2026-06-06');
    expect(dayInZone('2026-06-06T23:30:00Z', 'Not/AZone')).toBe('2026-06-06');
  });
});
