import { afterEach, describe, expect, it } from 'vitest';
import { formatClock, parseTypedTime, formatDay, formatDayRange, formatShortWhen, formatTime, formatWallClock, formatWhen, parseTypedDate, setPracticeCountry } from './format';

// 13:39 in London on 6 December 2026 (GMT, so the same in UTC).
const at = '2026-12-06T13:39:00Z';

describe('practice date format', () => {
  afterEach(() => setPracticeCountry('GB'));

  it('writes a UK practice day-first with a 24-hour clock', () => {
    setPracticeCountry('GB');
    expect(formatWhen(at, 'Europe/London')).toBe('6 Dec 2026, 13:39');
    expect(formatDay('2026-12-06')).toBe('6 Dec 2026');
    expect(formatTime(at, 'Europe/London')).toBe('13:39');
    expect(formatWallClock('2026-11-22T09:00')).toBe('Sun, 22 Nov 2026, 09:00');
    expect(formatShortWhen(at, 'Europe/London')).toBe('Sun 6 Dec, 13:39');
  });

  it('writes a US practice month-first with a 12-hour clock', () => {
    setPracticeCountry('US');
    expect(formatWhen(at, 'Europe/London')).toBe('Dec 6, 2026, 1:39 PM');
    expect(formatDay('2026-12-06')).toBe('Dec 6, 2026');
    expect(formatTime(at, 'Europe/London')).toBe('1:39 PM');
    expect(formatWallClock('2026-11-22T09:00')).toBe('Sun, Nov 22, 2026, 9:00 AM');
  });

  it('shows a civil date as the day written, in any zone', () => {
    setPracticeCountry('GB');
    expect(formatDay('2026-01-01')).toBe('1 Jan 2026');
    expect(formatDayRange('2027-01-01', '2027-01-31')).toMatch(/^1\s?–\s?31 Jan 2027$/);
    expect(formatDayRange('2026-12-03', '2026-12-03')).toBe('3 Dec 2026');
  });

  it('shows nothing for no date or the zero time, and never "Invalid Date"', () => {
    expect(formatWhen('')).toBe('');
    expect(formatWhen(null)).toBe('');
    expect(formatWhen('0001-01-01T00:00:00Z')).toBe('');
    expect(formatWhen('yesterday')).toBe('');
    expect(formatDay('not a date')).toBe('not a date');
  });

  it('treats an unknown country as the UK', () => {
    setPracticeCountry('FR');
    expect(formatDay('2026-12-06')).toBe('6 Dec 2026');
  });
});

describe('a typed date', () => {
  it('is read day-first for a UK practice, month-first for a US one, whatever the computer', () => {
    expect(parseTypedDate('09/04/1951', 'GB')).toBe('1951-04-09');
    expect(parseTypedDate('09/04/1951', 'US')).toBe('1951-09-04');
    expect(parseTypedDate('14.3.1968', 'GB')).toBe('1968-03-14');
    expect(parseTypedDate('3-14-1968', 'US')).toBe('1968-03-14');
  });
  it('takes ISO and written months in either order', () => {
    expect(parseTypedDate('1951-04-09', 'US')).toBe('1951-04-09');
    expect(parseTypedDate('9 April 1951', 'US')).toBe('1951-04-09');
    expect(parseTypedDate('Apr 9, 1951', 'GB')).toBe('1951-04-09');
    expect(parseTypedDate(' 1st Feb 2000 ', 'GB')).toBe('2000-02-01');
  });
  it('refuses dates that do not exist and half-typed ones', () => {
    for (const bad of ['31/02/1990', '14/03/1968x', '13/13/2000', '12/31/1990', '1968', '', '09/04/51', 'Smarch 3, 2000']) {
      expect(parseTypedDate(bad, 'GB'), bad).toBeNull();
    }
    expect(parseTypedDate('12/31/1990', 'US')).toBe('1990-12-31');
  });
});

describe('a time of day', () => {
  afterEach(() => setPracticeCountry('GB'));
  it('is 24-hour in the UK and 12-hour in the US', () => {
    setPracticeCountry('GB');
    expect(formatClock('13:30')).toBe('13:30');
    expect(formatClock('09:00')).toBe('09:00');
    setPracticeCountry('US');
    expect(formatClock('13:30')).toBe('1:30 PM');
    expect(formatClock('00:15')).toBe('12:15 AM');
    expect(formatClock('later')).toBe('later');
  });
});

describe('a typed time', () => {
  it('takes 24-hour and AM/PM forms', () => {
    expect(parseTypedTime('09:30')).toBe('09:30');
    expect(parseTypedTime('9.30')).toBe('09:30');
    expect(parseTypedTime('14:00')).toBe('14:00');
    expect(parseTypedTime('2pm')).toBe('14:00');
    expect(parseTypedTime('2:15 PM')).toBe('14:15');
    expect(parseTypedTime('12:05 am')).toBe('00:05');
    expect(parseTypedTime('12 p.m.')).toBe('12:00');
  });
  it('refuses what is not a time', () => {
    for (const bad of ['9', '24:00', '13 pm', '9:75', 'noon', '']) expect(parseTypedTime(bad), bad).toBeNull();
  });
});
