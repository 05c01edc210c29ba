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
