// Days as "YYYY-MM-DD" and the calendar keys of the WAI-ARIA date picker
// dialog. Worked in UTC so no zone or summer-time change moves a day.

function parts(iso: string): [number, number, number] {
  const [y, m, d] = iso.split('-').map(Number);
  return [y, m, d];
}

function iso(t: Date): string {
  return t.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = parts(day);
  return iso(new Date(Date.UTC(y, m - 1, d + n)));
}

/** The same day n months on; the 31st becomes the month's last day rather than spilling into the next. */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = parts(day);
  const last = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return iso(new Date(Date.UTC(y, m - 1 + n, Math.min(d, last))));
}

/** The first of day's month: "2026-12-01". */
export function monthOf(day: string): string {
  return day.slice(0, 8) + '01';
}

/** 0 for Sunday to 6 for Saturday. */
function weekday(day: string): number {
  const [y, m, d] = parts(day);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/**
 * The day a key moves to from day, or null for a key that does not move:
 * Left/Right a day, Up/Down a week, PageUp/PageDown a month (with Shift a
 * year), Home/End the first/last day of the week, which starts on
 * firstDayOfWeek (1 Monday in the UK, 0 Sunday in the US).
 */
export function dayAfterKey(day: string, key: string, shift: boolean, firstDayOfWeek: 0 | 1): string | null {
  switch (key) {
    case 'ArrowLeft': return addDays(day, -1);
    case 'ArrowRight': return addDays(day, 1);
    case 'ArrowUp': return addDays(day, -7);
    case 'ArrowDown': return addDays(day, 7);
    case 'PageUp': return addMonths(day, shift ? -12 : -1);
    case 'PageDown': return addMonths(day, shift ? 12 : 1);
    case 'Home': return addDays(day, -((weekday(day) - firstDayOfWeek + 7) % 7));
    case 'End': return addDays(day, 6 - ((weekday(day) - firstDayOfWeek + 7) % 7));
    default: return null;
  }
}
