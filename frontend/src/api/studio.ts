import * as Studio from '../../wailsjs/go/service/StudioService';
import type { BrandColors, Clinician } from './types';

// Plain shapes of what StudioService sends (json tags in app/service/studio.go
// and app/studio). They live here rather than in types.ts because only the
// Studio uses them.

export interface StudioOption {
  value: string;
  label: string;
}

export interface StudioField {
  id: string;
  label: string;
  kind: 'line' | 'text' | 'attribution' | string;
  required: boolean;
  maxLen: number;
  default: string;
}

export interface StudioPhotoSlot {
  id: string;
  label: string;
  required: boolean;
}

export interface StudioTemplate {
  id: string;
  name: string;
  description: string;
  fields: StudioField[];
  photos: StudioPhotoSlot[];
  layouts: { id: string; name: string }[];
}

export interface StudioSize {
  id: string;
  name: string;
  width: number;
  height: number;
  safe: { top: number; right: number; bottom: number; left: number };
}

export interface StudioSetup {
  templates: StudioTemplate[];
  sizes: StudioSize[];
  clinicians: Clinician[];
  attributionModes: StudioOption[];
  colorRoles: StudioOption[];
  colors: BrandColors;
  exportFolder: string;
  maxPhotoMb: number;
  maxAltText: number;
  exportBudget: number;
  redactionModes: StudioOption[];
  backgrounds: StudioOption[];
  logoUrl: string;
  practiceName: string;
  previewLongSide: number;
  attributionNote: string;
  photoFormatsNote: string;
  /** What a photo that shows no patient can be declared as (team, premises, stock, illustration). */
  declarations: StudioOption[];
}

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type RedactMode = 'blur' | 'pixelate';

export interface Redaction {
  box: Rect;
  mode: RedactMode;
}

/** Where a photo in an image came from (app.ImageSource). */
export interface ImageSource {
  kind: 'consent' | 'declared';
  consentId?: number;
  mediaSha256?: string;
  shows?: string[];
  declared?: string;
}

export interface StudioPhoto {
  id: string;
  name: string;
  format: string;
  width: number;
  height: number;
  bytes: number;
  source: ImageSource;
  sourceLabel: string;
}

/** One photo a consent covers. */
export interface StudioConsentPhoto {
  sha256: string;
  kind: 'photo' | 'before_after' | string;
  label: string;
  url: string;
}

/** A signed consent with photos, and whether they can go on an image today. */
export interface StudioConsentChoice {
  consentId: number;
  patientName: string;
  signedOn: string;
  photos: StudioConsentPhoto[];
  faceAllowed: boolean;
  beforeAfterAllowed: boolean;
  usable: boolean;
  reason: string;
}

/** A library image whose provenance is unknown (kept before PracticePost asked). */
export interface StudioUnplaced {
  setId: string;
  template: string;
  altText: string;
  sha256: string;
  sizes: number;
  createdAt: string;
  sourcesUnknown: boolean;
  wordsUnknown: boolean;
  drafts: number;
  url: string;
  templateName: string;
}

export interface ImageDeclaration {
  declared: string;
  notPatientWords: boolean;
}

export interface StudioPhotoInput {
  photoId: string;
  focus: Point;
  redactions: Redaction[];
}

export interface Background {
  kind: '' | 'photo' | 'solid' | 'gradient';
  color: string;
  to: string;
  angle: number;
}

export type AttributionMode = 'full_name' | 'first_name' | 'initials' | 'anonymous';

export interface StudioDesign {
  template: string;
  layout: string;
  fields: Record<string, string>;
  attribution: { mode: AttributionMode; name: string } | null;
  background: Background;
  photos: Record<string, StudioPhotoInput>;
  /** The testimonial a quote card is made from; 0 when typed by hand. */
  testimonialId: number;
  /** Whose words a hand-typed quote card carries: 'not_patient', or '' when not said. */
  wordsOf: '' | 'not_patient';
}

/** One way of naming the patient, and whether the testimonial's consent allows it. */
export interface StudioModeChoice {
  value: AttributionMode;
  label: string;
  allowed: boolean;
  reason: string;
}

/** A testimonial as the quote card uses it (StudioService.FromTestimonial). */
export interface StudioQuoteSource {
  testimonialId: number;
  quote: string;
  patientName: string;
  modes: StudioModeChoice[];
  mode: AttributionMode;
  agreed: string;
}

export interface Overflow {
  element: string;
  field: string;
  size: string;
  cut: number;
  message: string;
}

export interface StudioPreview {
  sizeId: string;
  image: string;
  width: number;
  height: number;
  overflows: Overflow[];
  warnings: string[];
  millis: number;
}

export interface StudioVariant {
  sizeId: string;
  name: string;
  width: number;
  height: number;
  bytes: number;
  quality: number;
  image: string;
  overflows: Overflow[];
  warnings: string[];
}

export interface StudioRender {
  id: string;
  template: string;
  variants: StudioVariant[];
  overflows: Overflow[];
  millis: number;
}

export interface StudioLibraryItem {
  id: number;
  setId: string;
  sha256: string;
  mime: string;
  template: string;
  layout: string;
  sizeId: string;
  width: number;
  height: number;
  bytes: number;
  altText: string;
  createdAt: string;
  testimonialId: number;
  identity: '' | AttributionMode;
  imageText: string;
  textRecorded: boolean;
  sources: ImageSource[];
  sourcesKnown: boolean;
  attribution: '' | 'testimonial' | 'not_patient';
  url: string;
  /** Where its photos came from (and whose words a quote card carries), in words. */
  provenance: string;
}

export interface StudioLibrary {
  items: StudioLibraryItem[];
  total: number;
}

export interface StudioExport {
  folder: string;
  files: string[];
  altTextFile: string;
}

export interface StudioProgress {
  renderId: string;
  done: number;
  total: number;
}

export const studioProgressEvent = 'studio:progress';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const studioSetup = () => Studio.Setup() as unknown as Promise<StudioSetup>;
export const quoteFromTestimonial = (id: number) => Studio.FromTestimonial(id) as unknown as Promise<StudioQuoteSource>;
export const clinicianFields = (index: number) => Studio.ClinicianFields(index) as unknown as Promise<Record<string, string>>;
/** A photo from the computer, declared as showing no patient. */
export const uploadPhoto = (fileName: string, base64: string, declared: string) =>
  Studio.UploadPhoto(fileName, base64, declared) as unknown as Promise<StudioPhoto>;
/** A photo a signed consent covers: its stored bytes, with what it shows. */
export const photoFromConsent = (consentId: number, sha256: string, showsFace: boolean) =>
  Studio.PhotoFromConsent(consentId, sha256, showsFace) as unknown as Promise<StudioPhoto>;
export const consentPhotos = () => Studio.ConsentPhotos() as unknown as Promise<StudioConsentChoice[]>;
export const sourceDeclarations = () => Studio.Declarations() as unknown as Promise<StudioOption[]>;
export const unplacedImages = () => Studio.UnplacedImages() as unknown as Promise<StudioUnplaced[]>;
export const declareImage = (setId: string, d: ImageDeclaration) =>
  Studio.DeclareImage(setId, d as any) as unknown as Promise<StudioUnplaced[]>;
export const forgetPhoto = (id: string) => Studio.ForgetPhoto(id);
export const previewDesign = (design: StudioDesign, sizeId: string, longSide = 0) =>
  Studio.Preview(design as any, sizeId, longSide) as unknown as Promise<StudioPreview>;
export const renderDesign = (design: StudioDesign) => Studio.Render(design as any) as unknown as Promise<StudioRender>;
export const keepRender = (renderId: string, altText: string, acceptOverflow: boolean) =>
  Studio.Keep(renderId, altText, acceptOverflow) as unknown as Promise<StudioLibrary>;
export const exportRender = (renderId: string, folder: string, altText: string, acceptOverflow: boolean) =>
  Studio.Export(renderId, folder, altText, acceptOverflow) as unknown as Promise<StudioExport>;
export const chooseExportFolder = () => Studio.ChooseExportFolder() as unknown as Promise<string>;
export const studioLibrary = (limit = 200, offset = 0) =>
  Studio.Library(limit, offset) as unknown as Promise<StudioLibrary>;
export const deleteMedia = (id: number) => Studio.DeleteMedia(id);
