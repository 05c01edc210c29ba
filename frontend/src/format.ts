// Dates and times in the practice's format, whatever this computer's
// language: a UK practice reads "6 Dec 2026, 13:39", a US practice
// "Dec 6, 2026, 1:39 PM". The brand kit's country decides (the shell calls
// setPracticeCountry when the brand kit loads or changes); every screen
// formats through here, so no date shows in ISO or the computer's order.

let country = 'GB';

/** Sets the practice's country ("GB" or "US"); anything else is treated as the UK. */
export function setPracticeCountry(c: string | null | undefined) {
  country = c === 'US' ? 'US' : 'GB';
}

export function practiceCountry(): string {
  return country;
}

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const locale = country === 'US' ? 'en-US' : 'en-GB';
  const key = locale + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) {
    // 24-hour clock in the UK, 12-hour in the US, whatever the computer says.
    const clock = opts.hour !== undefined || opts.timeStyle !== undefined;
    // "09:00" in the UK, "9:00 AM" in the US.
    const us = country === 'US' && opts.hour ? { hour: 'numeric' as const } : {};
    f = new Intl.DateTimeFormat(locale, clock ? { ...opts, ...us, hour12: country === 'US' } : opts);
    cache.set(key, f);
  }
  return f;
}

function instant(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  // Go's zero time ("0001-01-01T00:00:00Z") means "never".
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1 ? null : d;
}

// A civil date "2026-12-06" or wall-clock "2026-12-06T09:30" is shown as
// written: it is formatted in UTC so no zone moves it to another day.
const civil = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;
function wall(s: string): Date | null {
  const m = civil.exec(s.trim());
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An instant as day and time: "6 Dec 2026, 13:39" (UK) or "Dec 6, 2026, 1:39 PM" (US), in zone or this computer's. */
export function formatWhen(iso: string | null | undefined, zone?: string): string {
  const d = instant(iso);
  if (!d) return '';
  return fmt({ dateStyle: 'medium', timeStyle: 'short', ...(zone ? { timeZone: zone } : {}) }).format(d);
}

/** A day: "6 Dec 2026" / "Dec 6, 2026". Takes a civil date ("2026-12-06") or an instant. */
export function formatDay(value: string | null | undefined, zone?: string): string {
  if (!value) return '';
  const w = wall(value);
  if (w) return fmt({ dateStyle: 'medium', timeZone: 'UTC' }).format(w);
  const d = instant(value);
  return d ? fmt({ dateStyle: 'medium', ...(zone ? { timeZone: zone } : {}) }).format(d) : value;
}

/**
 * A civil day in full, with its weekday: "Monday 7 December 2026" /
 * "Monday, December 7, 2026". A calendar names each day so, for a screen
 * reader, where a sighted user sees the weekday's column.
 */
export function formatFullDay(value: string): string {
  const w = wall(value);
  if (!w) return value;
  // Built from its parts: the UK's full date has a comma after the weekday
  // in some versions of the browser's date data and not in others.
  const weekday = fmt({ weekday: 'long', timeZone: 'UTC' }).format(w);
  const day = fmt({ day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(w);
  return country === 'US' ? `${weekday}, ${day}` : `${weekday} ${day}`;
}

/** The time of day of an instant: "13:39" / "1:39 PM". */
export function formatTime(iso: string | null | undefined, zone?: string): string {
  const d = instant(iso);
  if (!d) return '';
  return fmt({ hour: 'numeric', minute: '2-digit', ...(zone ? { timeZone: zone } : {}) }).format(d);
}

/** A short day and time with the weekday: "Sun 22 Nov, 09:00" / "Sun, Nov 22, 9:00 AM"; an instant, shown in zone. */
export function formatShortWhen(iso: string | null | undefined, zone?: string): string {
  const d = instant(iso);
  if (!d) return '';
  return fmt({ weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', ...(zone ? { timeZone: zone } : {}) }).format(d);
}

/** A wall-clock time as planned ("2026-11-22T09:00"), with the weekday: "Sun 22 Nov 2026, 09:00". */
export function formatWallClock(local: string): string {
  const w = wall(local);
  if (!w) return local;
  return fmt({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(w);
}

/** A span of days: "6 Dec 2026" when one day, else "1 – 31 Jan 2027" in the practice's order. */
export function formatDayRange(start: string, end: string): string {
  const a = wall(start);
  const b = wall(end);
  if (!a || !b) return start === end ? start : `${start} to ${end}`;
  if (start === end) return formatDay(start);
  return fmt({ day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).formatRange(a, b);
}

/**
 * The day it is now in zone (the practice's, for a schedule) or on this
 * computer, plus days: "2026-12-07". A field that refuses past days asks
 * here, so it agrees with the zone the post is planned in.
 */
export function dayIn(zone?: string, days = 0): string {
  const at = new Date(Date.now() + days * 86400000);
  try {
    // en-CA writes a date as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(zone ? { timeZone: zone } : {}) }).format(at);
  } catch {
    // A zone this computer does not know: its own day is the nearest.
    return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
  }
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Reads a date the user typed, in the practice's order, whatever this
 * computer's language: "09/04/1951" is 9 April in the UK and September 4 in
 * the US. Also takes "1951-04-09", "9 April 1951" and "April 9, 1951".
 * Returns "YYYY-MM-DD", or null when it is not a real date.
 */
export function parseTypedDate(text: string, c: string = country): string | null {
  const t = text.trim().toLowerCase();
  let y = 0;
  let m = 0;
  let d = 0;
  let r: RegExpExecArray | null;
  if ((r = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) {
    [y, m, d] = [+r[1], +r[2], +r[3]];
  } else if ((r = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$/.exec(t))) {
    [y, m, d] = c === 'US' ? [+r[3], +r[1], +r[2]] : [+r[3], +r[2], +r[1]];
  } else if ((r = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})$/.exec(t))) {
    [y, m, d] = [+r[3], months.indexOf(r[2].slice(0, 3)) + 1, +r[1]];
  } else if ((r = /^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(t))) {
    [y, m, d] = [+r[3], months.indexOf(r[1].slice(0, 3)) + 1, +r[2]];
  } else {
    return null;
  }
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || y < 1000 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** How the practice writes a date by hand: the placeholder of a date field. */
export function typedDatePattern(c: string = country): string {
  return c === 'US' ? 'MM/DD/YYYY' : 'DD/MM/YYYY';
}

/** A wall-clock "HH:MM" (24-hour) as the practice reads it: "13:30" / "1:30 PM". */
export function formatClock(hhmm: string): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return hhmm;
  return fmt({ hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, +m[1], +m[2])));
}

/** Reads a typed time: "9:30", "09:30", "14:00", "2pm", "2:15 PM". Returns "HH:MM" (24-hour) or null. */
export function parseTypedTime(text: string): string | null {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])?\.?\s*m?\.?$/i.exec(text.trim());
  if (!m) return null;
  let h = +m[1];
  const min = m[2] ? +m[2] : 0;
  if (!m[2] && !m[3]) return null; // "9" alone is not a time yet
  if (m[3]) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (m[3].toLowerCase() === 'p' ? 12 : 0);
  }
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}
