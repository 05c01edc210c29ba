import type {
  Background, Point, Rect, Redaction, StudioDesign, StudioOption, StudioPhoto, StudioQuoteSource, StudioTemplate,
} from '../../api/studio';
import type { TestimonialView } from '../../api/types';

// Pure helpers for the Studio editor: turning the form into what the
// service takes, and pointer positions into focal points and boxes.

export interface SlotState {
  photo: StudioPhoto;
  url: string; // object URL of the file, for drawing on
  focus: Point;
  redactions: Redaction[];
  /** What to do before using it, e.g. when the consent does not allow the face. */
  note?: string;
}

export interface EditorState {
  template: string;
  layout: string;
  fields: Record<string, string>;
  attribution: { mode: string; name: string };
  background: Background;
  photos: Record<string, SlotState>;
  /** The testimonial the quote card is made from; null while typed by hand. */
  source: StudioQuoteSource | null;
  /**
   * Whose words a hand-typed quote card carries: a team member's or public
   * figure's, or a patient's (then they must come from the testimonial); ''
   * until the manager says.
   */
  wordsOf?: '' | 'patient' | 'not_patient';
}

export const emptyBackground: Background = { kind: '', color: '', to: '', angle: 135 };

/** The design the service renders: only what the chosen template uses. */
export function toDesign(s: EditorState, t: StudioTemplate | undefined): StudioDesign {
  const fields: Record<string, string> = {};
  let attribution: StudioDesign['attribution'] = null;
  let testimonialId = 0;
  let wordsOf: StudioDesign['wordsOf'] = '';
  for (const f of t?.fields ?? []) {
    if (f.kind === 'attribution') {
      attribution = { ...s.attribution };
      if (s.source) testimonialId = s.source.testimonialId;
      else if (s.wordsOf === 'not_patient') wordsOf = 'not_patient';
    } else if (f.id in s.fields) fields[f.id] = s.fields[f.id];
  }
  // The service fills the quote and name from the testimonial itself; sending
  // them too keeps the preview request readable.
  if (testimonialId && s.source && 'quote' in fields) fields.quote = s.source.quote;
  const photos: StudioDesign['photos'] = {};
  for (const slot of t?.photos ?? []) {
    const p = s.photos[slot.id];
    if (p) photos[slot.id] = { photoId: p.photo.id, focus: p.focus, redactions: p.redactions };
  }
  let background = s.background;
  if (background.kind === 'photo' && !(t?.photos.length)) background = { ...background, kind: '' };
  return { template: s.template, layout: s.layout, fields, attribution, background, photos, testimonialId, wordsOf };
}

/** The editor after choosing a testimonial: its words, the patient's name and the fullest name form its consent allows. */
export function applySource(s: EditorState, src: StudioQuoteSource): EditorState {
  return { ...s, source: src, fields: { ...s.fields, quote: src.quote }, attribution: { mode: src.mode, name: src.patientName } };
}

/** Back to typing by hand: the words stay to edit, the patient's name does not. */
export function typeByHand(s: EditorState): EditorState {
  return { ...s, source: null, attribution: { mode: 'anonymous', name: '' } };
}

/** Naming choices for the segmented control: with a testimonial, those its consent refuses are disabled. */
export function modeOptions(modes: StudioOption[], src: StudioQuoteSource | null): { value: string; label: string; disabled: boolean; reason: string }[] {
  return modes.map((m) => {
    const c = src?.modes.find((x) => x.value === m.value);
    return { value: m.value, label: m.label, disabled: !!c && !c.allowed, reason: c && !c.allowed ? c.reason : '' };
  });
}

/** Why some naming choices are not offered: what the patient agreed to, and which are off. */
export function refusedNote(src: StudioQuoteSource | null): string {
  if (!src) return '';
  const off = src.modes.filter((m) => !m.allowed).map((m) => m.label);
  if (!off.length) return src.agreed;
  const list = off.length === 1 ? off[0] : `${off.slice(0, -1).join(', ')} and ${off[off.length - 1]}`;
  return `${src.agreed} ${list} ${off.length === 1 ? 'is' : 'are'} not offered.`;
}

const consentProblem: Record<string, string> = {
  revoked: 'consent withdrawn',
  expired: 'consent expired',
  damaged: 'consent needs checking',
};

/** Testimonials for the picker, newest first; those that cannot go on an image are disabled and say why. */
export function testimonialOptions(list: TestimonialView[]): { value: string; label: string; disabled: boolean }[] {
  return [...list]
    .filter((v) => v.testimonial.quote.trim() !== '')
    .sort((a, b) => (a.testimonial.createdAt < b.testimonial.createdAt ? 1 : -1))
    .map((v) => {
      const words = v.testimonial.quote.trim().split(/\s+/);
      const start = words.length > 7 ? `${words.slice(0, 7).join(' ')}…` : words.join(' ');
      const problem = !v.consent ? 'waiting for consent' : consentProblem[v.consent.status] ?? '';
      return {
        value: String(v.testimonial.id),
        label: `${v.patientName || 'Patient'}: “${start}”${problem ? ` (${problem})` : ''}`,
        disabled: problem !== '',
      };
    });
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** A pointer position inside an element as 0..1 of its width and height. */
export function relativePoint(clientX: number, clientY: number, r: { left: number; top: number; width: number; height: number }): Point {
  return { x: clamp01((clientX - r.left) / r.width), y: clamp01((clientY - r.top) / r.height) };
}

/** The box between two corners, whichever way the drag went. */
export function dragRect(a: Point, b: Point): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
}

/** A drag shorter than this many screen pixels is a click (a focal point). */
export const clickSlop = 6;

export function isClick(a: Point, b: Point, widthPx: number, heightPx: number): boolean {
  return Math.hypot((a.x - b.x) * widthPx, (a.y - b.y) * heightPx) < clickSlop;
}

export const sizeShortNames: Record<string, string> = {
  square: 'Square',
  portrait: 'Portrait',
  link: 'Link',
  story: 'Story',
  landscape: 'Google',
  wide: 'X / wide',
};

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} bytes`;
  if (n < 1_000_000) return `${Math.round(n / 1000)} KB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/** Fields filled from the template defaults, keeping what was typed. */
export function withDefaults(fields: Record<string, string>, t: StudioTemplate): Record<string, string> {
  const out = { ...fields };
  for (const f of t.fields) if (!(f.id in out) && f.default) out[f.id] = f.default;
  return out;
}

/**
 * Fields for a newly chosen template: typed text carries over (a title stays
 * a title), but a value that was only the old template's default label
 * ("Health tip") gives way to the new one's ("Meet the team").
 */
export function switchFields(fields: Record<string, string>, from: StudioTemplate, to: StudioTemplate): Record<string, string> {
  const out = { ...fields };
  for (const f of to.fields) {
    const old = from.fields.find((x) => x.id === f.id);
    if (old && old.default && out[f.id] === old.default) out[f.id] = f.default ?? '';
  }
  return withDefaults(out, to);
}
