// Guard findings carry UTF-8 byte offsets (Go strings); the textarea works
// in UTF-16 code units. These helpers convert and cut the text into runs
// for the highlight layer behind the textarea.

export interface Span {
  start: number; // UTF-16 index, inclusive
  end: number; // exclusive
  severity: string; // 'block' or 'warn'
  title: string;
}

/** Maps each UTF-8 byte offset (0..len) of text to its UTF-16 index. */
export function byteToIndex(text: string): (byteOffset: number) => number {
  const table: number[] = [];
  let bytes = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const units = cp > 0xffff ? 2 : 1;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < n; k++) table[bytes + k] = i;
    bytes += n;
    i += units;
  }
  table[bytes] = text.length;
  return (b) => (b <= 0 ? 0 : b >= bytes ? text.length : table[b]);
}

export interface Run {
  text: string;
  span?: Span;
}

/** Cuts text into plain and highlighted runs; overlapping spans keep the first (blocks are sorted first). */
export function runs(text: string, spans: Span[]): Run[] {
  const sorted = [...spans]
    .filter((s) => s.end > s.start && s.start >= 0 && s.end <= text.length)
    .sort((a, b) => (a.severity === b.severity ? a.start - b.start : a.severity === 'block' ? -1 : 1));
  const kept: Span[] = [];
  for (const s of sorted) if (!kept.some((k) => s.start < k.end && k.start < s.end)) kept.push(s);
  kept.sort((a, b) => a.start - b.start);
  const out: Run[] = [];
  let at = 0;
  for (const s of kept) {
    if (s.start > at) out.push({ text: text.slice(at, s.start) });
    out.push({ text: text.slice(s.start, s.end), span: s });
    at = s.end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/**
 * Splits a post at a platform's "see more" point (its descriptor's feedCut),
 * on a word boundary.
 */
export function truncate(text: string, cut: number): { shown: string; more: boolean } {
  const chars = Array.from(text);
  if (chars.length <= cut) return { shown: text, more: false };
  let shown = chars.slice(0, cut).join('');
  const sp = shown.lastIndexOf(' ');
  if (sp > cut * 0.6) shown = shown.slice(0, sp);
  return { shown: shown.trimEnd(), more: true };
}

interface Placed {
  severity: string; // 'block' or 'warn'
  start: number;
  end: number;
  image?: number | null;
}

/**
 * Findings about an image's own pixels or words (a patient's name drawn into
 * a quote card) have no place in the text to highlight: they point at the
 * image instead. Returns the 1-based image number, or 0.
 */
export function imageOf(f: Placed): number {
  return f.image && f.end <= f.start ? f.image : 0;
}

/** The worst finding about image n (1-based), for marking its thumbnail. */
export function imageSeverity(findings: Placed[], n: number): 'block' | 'warn' | null {
  let worst: 'block' | 'warn' | null = null;
  for (const f of findings) {
    if (imageOf(f) !== n) continue;
    if (f.severity === 'block') return 'block';
    worst = 'warn';
  }
  return worst;
}
