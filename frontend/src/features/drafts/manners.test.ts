import { describe, expect, it } from 'vitest';
import { findingRange, findingTone, isQuiet, oneClickFix, removeRange, statusTone } from './manners';

describe('the guard on a blank post', () => {
  it('stays quiet until the manager types or picks something', () => {
    expect(isQuiet(false, '')).toBe(true);
    expect(isQuiet(false, '   \n')).toBe(true);
    expect(isQuiet(true, '')).toBe(false);
    expect(isQuiet(false, 'Hello')).toBe(false);
  });
  it('shows blocks as To do in grey while quiet, Must fix in red after', () => {
    expect(findingTone({ severity: 'block' }, true)).toEqual({ label: 'To do', color: 'gray' });
    expect(findingTone({ severity: 'block' }, false)).toEqual({ label: 'Must fix', color: 'red' });
    expect(findingTone({ severity: 'warn' }, true).label).toBe('Check');
    expect(statusTone(true, 3, true).text).toBe('To do before posting');
    expect(statusTone(true, 3, false).text).toBe('Must fix before posting');
    expect(statusTone(false, 0, false).text).toBe('All clear');
  });
});

describe('pointing at the place to fix', () => {
  it('turns byte offsets into textarea offsets, past emoji and accents', () => {
    const text = 'Café 😀 call 07700 900123';
    const bytes = new TextEncoder().encode(text);
    const start = new TextEncoder().encode('Café 😀 call ').length;
    expect(bytes.length).toBe(start + '07700 900123'.length);
    const r = findingRange({ start, end: bytes.length }, text)!;
    expect(text.slice(r.start, r.end)).toBe('07700 900123');
    expect(findingRange({ start: 0, end: 0 }, text)).toBeNull();
  });
});

describe('one-click fixes', () => {
  it('offers to remove identifiers, not names or claims', () => {
    expect(oneClickFix({ kind: 'nhs_number', start: 3, end: 15, text: '943 476 5919' })).toEqual({ label: 'Remove “943 476 5919”' });
    expect(oneClickFix({ kind: 'phone', start: 3, end: 9, text: '' })).toEqual({ label: 'Remove it' });
    expect(oneClickFix({ kind: 'patient_name', start: 3, end: 9, text: 'Sarah' })).toBeNull();
    expect(oneClickFix({ kind: 'misleading_claim', start: 3, end: 9 })).toBeNull();
    expect(oneClickFix({ kind: 'phone', start: 0, end: 0 })).toBeNull();
  });
  it('removes the words and tidies the spaces around them', () => {
    const cut = (t: string, w: string) => removeRange(t, t.indexOf(w), t.indexOf(w) + w.length).text;
    expect(cut('Welcome back, patient 943 476 5919!', ' 943 476 5919')).toBe('Welcome back, patient!');
    expect(cut('Welcome back, patient 943 476 5919!', '943 476 5919')).toBe('Welcome back, patient!');
    expect(cut('Call 07700 900123 today', '07700 900123')).toBe('Call today');
    expect(cut('07700 900123 is our number', '07700 900123')).toBe('is our number');
    expect(cut('Email a@b.co\nThanks', 'a@b.co')).toBe('Email\nThanks');
    expect(removeRange('abc def', 4, 7)).toEqual({ text: 'abc', caret: 3 });
  });
});
