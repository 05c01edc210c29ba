// Whole values as the Go side sends them, for tests that set only the
// fields they read: the rest are Go's zero values.
import type { StudioQuoteSource, StudioSetup } from '../api/studio';
import type { ConsentView, JobView, Testimonial, TestimonialView } from '../api/types';

export const consentView = (over: Partial<ConsentView>): ConsentView => ({
  id: 0, patientId: 0, patientName: '', country: '', method: '', methodLabel: '', templateVersion: '', signedAt: '', signedOn: '',
  expiresAt: '', lastValidDay: '', status: '', statusText: '', identity: [], channels: [], quote: '', healthDetails: '', media: [],
  remuneration: '', signer: { name: '', representative: false, relationship: '', authority: '' }, evidenceHash: '', pdfUrl: '',
  signatureUrl: '', scanUrl: '', ...over,
});

export const testimonialView = (t: Partial<Testimonial>, over: Partial<TestimonialView>): TestimonialView => ({
  testimonial: {
    id: 0, patientId: 0, consentId: 0, quote: '', source: '', saidOn: '', nameAs: '', showsFace: false, media: [], createdAt: '', ...t,
  },
  patientName: '', media: [], verdicts: [], publishable: 0, summary: '', disclosure: '', wordsApprovedOn: '', ...over,
});

export const jobView = (over: Partial<JobView>): JobView => ({
  id: 0, requestId: 0, draftId: '', channel: '', platform: '', state: '', text: '', scheduledAt: '', zone: '', nextAt: '', native: false,
  attempts: 0, errorKind: '', errorCode: '', errorMessage: '', platformMessage: '', remoteId: '', remoteUrl: '', remoteScheduledAt: '',
  publishedAt: '', takedown: '', takedownError: '', channelName: '', title: '', nativeNote: '', ...over,
});

export const studioSetup = (over: Partial<StudioSetup>): StudioSetup => ({
  templates: [], sizes: [], clinicians: [], attributionModes: [], colorRoles: [],
  colors: { primary: '', secondary: '', accent: '', text: '', background: '' }, exportFolder: '', maxPhotoMb: 0, maxAltText: 0,
  exportBudget: 0, redactionModes: [], backgrounds: [], logoUrl: '', practiceName: '', previewLongSide: 0, attributionNote: '',
  photoFormatsNote: '', declarations: [], ...over,
});

/** A testimonial's quote as the quote card gets it when the consent names the patient by first name only. */
export const firstNameOnlySource = (over: Partial<StudioQuoteSource>): StudioQuoteSource => ({
  testimonialId: 0, quote: 'The whole team made me feel at ease.', patientName: 'Jane Smith', mode: 'first_name',
  agreed: 'The patient agreed to be named by their first name only (consent signed 1 March 2026).',
  modes: [
    { value: 'full_name', label: 'Full name', allowed: false, reason: 'The patient agreed to be named by their first name only (consent signed 1 March 2026). The card cannot show full name; choose First name, Initials or Anonymous.' },
    { value: 'first_name', label: 'First name', allowed: true, reason: '' },
    { value: 'initials', label: 'Initials', allowed: true, reason: '' },
    { value: 'anonymous', label: 'Anonymous', allowed: true, reason: '' },
  ],
  ...over,
});
