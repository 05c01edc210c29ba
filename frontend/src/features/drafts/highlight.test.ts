import { describe, expect, it } from 'vitest';
import { byteToIndex, imageOf, imageSeverity, runs, truncate } from './highlight';

describe('byteToIndex', () => {
  it('maps ASCII one to one', () => {
    const m = byteToIndex('hello');
    expect([0, 1, 5].map(m)).toEqual([0, 1, 5]);
  });
  it('maps accents, emoji and CJK from UTF-8 bytes to UTF-16 indices', () => {
    const text = 'Zoë 🦷 歯 Okafor';
    const enc = new TextEncoder();
    const m = byteToIndex(text);
    const start = enc.encode('Zoë 🦷 歯 ').length;
    expect(text.slice(m(start), m(start + 6))).toBe('Okafor');
    expect(text.slice(m(0), m(enc.encode('Zoë').length))).toBe('Zoë');
    expect(m(enc.encode(text).length)).toBe(text.length);
  });
});

describe('runs', () => {
  it('keeps blocks over overlapping warnings and covers the whole text', () => {
    const text = 'Call Mrs Okafor on 07700 900123';
    const r = runs(text, [
      { start: 5, end: 15, severity: 'warn', title: 'w' },
      { start: 9, end: 15, severity: 'block', title: 'b' },
      { start: 19, end: 31, severity: 'block', title: 'p' },
    ]);
    expect(r.map((x) => x.text).join('')).toBe(text);
    expect(r.filter((x) => x.span).map((x) => x.text)).toEqual(['Okafor', '07700 900123']);
  });
  it('ignores spans outside the text (stale findings)', () => {
    expect(runs('short', [{ start: 3, end: 40, severity: 'block', title: '' }])).toEqual([{ text: 'short' }]);
  });
});

describe('truncate', () => {
  it('cuts Instagram captions at about 125 characters on a word', () => {
    const t = truncate('word '.repeat(60), 125);
    expect(t.more).toBe(true);
    expect(t.shown.length).toBeLessThanOrEqual(125);
    expect(t.shown.endsWith('word')).toBe(true);
  });
  it('leaves short posts whole', () => {
    expect(truncate('Short and sweet', 210)).toEqual({ shown: 'Short and sweet', more: false });
  });
});

describe('findings about images', () => {
  const inText = { severity: 'block' as const, start: 4, end: 9 };
  const nameInCard = { severity: 'block' as const, start: 0, end: 0, image: 2 };
  const altMissing = { severity: 'warn' as const, start: 0, end: 0, image: 1 };
  it('point at the image when they have no place in the text', () => {
    expect(imageOf(nameInCard)).toBe(2);
    expect(imageOf(inText)).toBe(0);
    expect(imageOf({ ...inText, image: 3 })).toBe(0);
  });
  it('mark each thumbnail with its worst finding', () => {
    const fs = [inText, altMissing, nameInCard, { ...altMissing, image: 2 }];
    expect(imageSeverity(fs, 1)).toBe('warn');
    expect(imageSeverity(fs, 2)).toBe('block');
    expect(imageSeverity(fs, 3)).toBeNull();
  });
});
