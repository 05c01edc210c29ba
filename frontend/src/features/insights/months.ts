/**
 * The n calendar months up to the one today falls in, newest first, for the
 * Month list. today is "YYYY-MM-DD" in the practice's zone (dayIn): taken
 * from the UTC date instead, the list began a month early or late for the
 * hours around each month's end when the practice's clock and UTC disagree.
 */
export function lastMonths(n: number, today: string): { value: string; label: string }[] {
  const [y, m] = today.split('-').map(Number);
  const out = [];
  for (let i = 0; i < n; i++) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    out.push({ value: d.toISOString().slice(0, 7), label: d.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }) });
  }
  return out;
}

/**
 * The practice's day ("YYYY-MM-DD") an instant falls on. A London post sent
 * at 00:30 on 7 June (summer time) is 23:30 UTC on 6 June: its UTC date is
 * the wrong day for the practice.
 */
export function dayInZone(iso: string, zone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso.slice(0, 10);
  try {
    // en-CA writes a date as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(zone ? { timeZone: zone } : {}) }).format(at);
  } catch {
    // A zone this computer does not know: the UTC date is the nearest.
    return iso.slice(0, 10);
  }
}
