// How the guard speaks in the editor: quiet on a blank post, pointing at the
// place to fix, and offering the fix where it is mechanical.
import type { GuardFinding } from '../../api/types';
import { byteToIndex } from './highlight';

/**
 * A post nobody has started is not "wrong": until the manager types, picks
 * a channel or a day, what the guard would block shows as "To do" in grey,
 * not a red "Must fix".
 */
export function isQuiet(touched: boolean, body: string): boolean {
  return !touched && body.trim() === '';
}

export interface Tone {
  label: string;
  color: string;
}

export function findingTone(f: Pick<GuardFinding, 'severity'>, quiet: boolean): Tone {
  if (f.severity !== 'block') return { label: 'Check', color: 'yellow' };
  return quiet ? { label: 'To do', color: 'gray' } : { label: 'Must fix', color: 'red' };
}

export function statusTone(blocked: boolean, findings: number, quiet: boolean): Tone & { text: string } {
  if (blocked) return quiet ? { label: 'To do', color: 'gray', text: 'To do before posting' } : { label: 'Must fix', color: 'red', text: 'Must fix before posting' };
  if (findings) return { label: 'Check', color: 'yellow', text: 'Look before posting' };
  return { label: 'Clear', color: 'teal', text: 'All clear' };
}

/** Where in the text (UTF-16, for the textarea) a finding points, or null when it points at no text. */
export function findingRange(f: Pick<GuardFinding, 'start' | 'end'>, text: string): { start: number; end: number } | null {
  if (!(f.end > f.start)) return null;
  const map = byteToIndex(text);
  const r = { start: map(f.start), end: map(f.end) };
  return r.end > r.start ? r : null;
}

// Identifiers that never belong in a post: removing them is the whole fix.
const removable = new Set([
  'nhs_number', 'chi_number', 'hc_number', 'ni_number', 'ssn', 'phone', 'email', 'birth_date', 'postcode', 'zip_code',
  'record_number', 'street_address',
]);

/** The one-click fix a finding offers, if its fix is mechanical. */
export function oneClickFix(f: Pick<GuardFinding, 'kind' | 'start' | 'end' | 'text'>): { label: string } | null {
  if (!removable.has(f.kind) || !(f.end > f.start)) return null;
  return { label: f.text ? `Remove “${f.text}”` : 'Remove it' };
}

/**
 * Cuts [start, end) (UTF-16) out of text and tidies what is left: no double
 * space, no space before punctuation, no space left at a line's start or end.
 * Returns the new text and where the caret goes.
 */
export function removeRange(text: string, start: number, end: number): { text: string; caret: number } {
  let before = text.slice(0, start);
  let after = text.slice(end);
  if (/[ \t]$/.test(before) && (/^[ \t]/.test(after) || /^[.,;:!?)]/.test(after) || after === '' || after.startsWith('\n'))) {
    before = before.replace(/[ \t]+$/, '');
    if (/^[ \t]/.test(after) && !(before === '' || before.endsWith('\n'))) after = ' ' + after.replace(/^[ \t]+/, '');
    else after = after.replace(/^[ \t]+/, '');
  } else if (before === '' || before.endsWith('\n')) {
    after = after.replace(/^[ \t]+/, '');
  }
  return { text: before + after, caret: before.length };
}
