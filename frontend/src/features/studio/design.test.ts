import { describe, expect, it } from 'vitest';
import type { StudioTemplate } from '../../api/studio';
import { consentView, firstNameOnlySource, testimonialView } from '../../test/fixtures';
import {
  applySource, dragRect, emptyBackground, formatBytes, isClick, modeOptions, refusedNote, relativePoint, switchFields, testimonialOptions, toDesign,
  typeByHand, withDefaults, type EditorState,
} from './design';

const testimonial: StudioTemplate = {
  id: 'testimonial', name: 'Quote', description: '',
  fields: [
    { id: 'quote', label: 'Quote', kind: 'text', required: true, maxLen: 600, default: '' },
    { id: 'attribution', label: 'Name', kind: 'attribution', required: false, maxLen: 0, default: '' },
  ],
  photos: [{ id: 'main', label: 'Background photo', required: false }],
  layouts: [{ id: 'classic', name: 'Classic' }],
};
const myth: StudioTemplate = {
  id: 'myth', name: 'Myth', description: '',
  fields: [{ id: 'myth', label: 'Myth', kind: 'text', required: true, maxLen: 200, default: '' },
    { id: 'mythLabel', label: 'Label', kind: 'line', required: false, maxLen: 20, default: 'Myth' }],
  photos: [], layouts: [{ id: 'stacked', name: 'Stacked' }],
};

const state: EditorState = {
  template: 'testimonial', layout: 'classic',
  fields: { quote: 'Lovely', myth: 'left over from another design' },
  attribution: { mode: 'initials', name: 'Jane Smith' },
  background: { ...emptyBackground, kind: 'photo' },
  photos: { main: { photo: { id: 'p1', name: 'a.jpg', format: 'jpeg', width: 10, height: 10, bytes: 5,
    source: { kind: 'declared', declared: 'premises' }, sourceLabel: 'No patient: our premises or equipment, no people' }, url: 'blob:x', focus: { x: 0.2, y: 0.3 }, redactions: [] } },
  source: null,
};

describe('toDesign', () => {
  it('sends only what the template uses', () => {
    const d = toDesign(state, testimonial);
    expect(d.fields).toEqual({ quote: 'Lovely' });
    expect(d.attribution).toEqual({ mode: 'initials', name: 'Jane Smith' });
    expect(d.photos).toEqual({ main: { photoId: 'p1', focus: { x: 0.2, y: 0.3 }, redactions: [] } });
    expect(d.testimonialId).toBe(0);
    expect(d.wordsOf).toBe('');
  });
  it('says whose words a hand-typed card carries only when not a patient, and never with a testimonial', () => {
    expect(toDesign({ ...state, wordsOf: 'not_patient' }, testimonial).wordsOf).toBe('not_patient');
    expect(toDesign({ ...state, wordsOf: 'patient' }, testimonial).wordsOf).toBe('');
    expect(toDesign({ ...state, template: 'myth', wordsOf: 'not_patient' }, myth).wordsOf).toBe('');
    const src = { testimonialId: 7, quote: 'Lovely', patientName: 'Jane Smith', modes: [], mode: 'first_name' as const, agreed: '' };
    const d = toDesign({ ...state, source: src, wordsOf: 'not_patient' }, testimonial);
    expect(d.wordsOf).toBe('');
    expect(d.testimonialId).toBe(7);
  });
  it('drops the attribution, photos and photo background for a design without them', () => {
    const d = toDesign({ ...state, template: 'myth' }, myth);
    expect(d.attribution).toBeNull();
    expect(d.photos).toEqual({});
    expect(d.background.kind).toBe('');
    expect(d.fields).toEqual({ myth: 'left over from another design' });
  });
});

describe('pointer geometry', () => {
  const r = { left: 100, top: 50, width: 400, height: 200 };
  it('maps and clamps positions', () => {
    expect(relativePoint(300, 150, r)).toEqual({ x: 0.5, y: 0.5 });
    expect(relativePoint(0, 999, r)).toEqual({ x: 0, y: 1 });
  });
  it('makes the same box whichever way the drag goes', () => {
    const a = { x: 0.6, y: 0.2 };
    const b = { x: 0.1, y: 0.7 };
    expect(dragRect(a, b)).toEqual(dragRect(b, a));
    const box = dragRect(a, b);
    expect(box.x).toBeCloseTo(0.1);
    expect(box.w).toBeCloseTo(0.5);
    expect(box.h).toBeCloseTo(0.5);
  });
  it('tells a click from a drag in screen pixels', () => {
    expect(isClick({ x: 0.5, y: 0.5 }, { x: 0.505, y: 0.5 }, 400, 200)).toBe(true); // 2 px
    expect(isClick({ x: 0.5, y: 0.5 }, { x: 0.52, y: 0.5 }, 400, 200)).toBe(false); // 8 px
  });
});

describe('small helpers', () => {
  it('formats sizes', () => {
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(245_300)).toBe('245 KB');
    expect(formatBytes(1_000_000)).toBe('1.0 MB');
  });
  it('fills defaults without overwriting typed text', () => {
    expect(withDefaults({ myth: 'x' }, myth)).toEqual({ myth: 'x', mythLabel: 'Myth' });
    expect(withDefaults({ mythLabel: 'Mythe' }, myth).mythLabel).toBe('Mythe');
  });
});

describe('switchFields', () => {
  const tip: StudioTemplate = { ...myth, id: 'tip', fields: [{ id: 'kicker', label: 'Label', kind: 'line', required: false, maxLen: 30, default: 'Health tip' },
    { id: 'title', label: 'Title', kind: 'line', required: true, maxLen: 90, default: '' }] };
  const team: StudioTemplate = { ...myth, id: 'team', fields: [{ id: 'kicker', label: 'Label', kind: 'line', required: false, maxLen: 30, default: 'Meet the team' },
    { id: 'name', label: 'Name', kind: 'line', required: true, maxLen: 80, default: '' }] };
  it('swaps an untouched default label and keeps typed text', () => {
    expect(switchFields({ kicker: 'Health tip', title: 'Floss' }, tip, team)).toEqual({ kicker: 'Meet the team', title: 'Floss' });
    expect(switchFields({ kicker: 'Our news' }, tip, team)).toEqual({ kicker: 'Our news' });
  });
});

const firstNameOnly = firstNameOnlySource({ testimonialId: 42 });
const modes = [
  { value: 'full_name', label: 'Full name' }, { value: 'first_name', label: 'First name' },
  { value: 'initials', label: 'Initials' }, { value: 'anonymous', label: 'Anonymous' },
];

describe('a quote card from a testimonial', () => {
  it('takes the approved words and the fullest name the consent allows, and sends the testimonial', () => {
    const s = applySource({ ...state, fields: { quote: 'typed' } }, firstNameOnly);
    expect(s.fields.quote).toBe(firstNameOnly.quote);
    expect(s.attribution).toEqual({ mode: 'first_name', name: 'Jane Smith' });
    const d = toDesign({ ...s, fields: { quote: 'edited after' } }, testimonial);
    expect(d.testimonialId).toBe(42);
    expect(d.fields.quote).toBe(firstNameOnly.quote);
    // Not for designs without a patient's name.
    expect(toDesign({ ...s, template: 'myth' }, myth).testimonialId).toBe(0);
  });
  it('disables the names the consent refuses and says why', () => {
    const opts = modeOptions(modes, firstNameOnly);
    expect(opts.filter((o) => o.disabled).map((o) => o.value)).toEqual(['full_name']);
    expect(opts[0].reason).toContain('first name only');
    expect(modeOptions(modes, null).some((o) => o.disabled)).toBe(false);
    expect(refusedNote(firstNameOnly)).toBe('The patient agreed to be named by their first name only (consent signed 1 March 2026). Full name is not offered.');
    expect(refusedNote(null)).toBe('');
  });
  it('typing by hand keeps the words but forgets the patient', () => {
    const s = typeByHand(applySource(state, firstNameOnly));
    expect(s.source).toBeNull();
    expect(s.fields.quote).toBe(firstNameOnly.quote);
    expect(s.attribution).toEqual({ mode: 'anonymous', name: '' });
    expect(toDesign(s, testimonial).testimonialId).toBe(0);
  });
  it('lists testimonials newest first, disabling those that cannot go on an image', () => {
    const tv = (id: number, quote: string, status: string | null, createdAt: string) =>
      testimonialView({ id, quote, createdAt }, { patientName: `Patient ${id}`, consent: status ? consentView({ status }) : null });
    const opts = testimonialOptions([
      tv(1, 'Lovely team, always kind and patient with my nervous son.', 'valid', '2026-01-01'),
      tv(2, 'Quick.', 'revoked', '2026-02-01'),
      tv(3, 'Great.', null, '2026-03-01'),
      tv(4, '   ', 'valid', '2026-04-01'),
    ]);
    expect(opts).toEqual([
      { value: '3', label: 'Patient 3: “Great.” (waiting for consent)', disabled: true },
      { value: '2', label: 'Patient 2: “Quick.” (consent withdrawn)', disabled: true },
      { value: '1', label: 'Patient 1: “Lovely team, always kind and patient with…”', disabled: false },
    ]);
  });
});
