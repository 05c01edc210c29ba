import * as Studio from '../../wailsjs/go/service/StudioService';
import type { app, service, studio } from '../../wailsjs/go/models';

// Plain shapes of what StudioService sends (json tags in app/service/studio.go
// and app/studio). They live here rather than in types.ts because only the
// Studio uses them.

export type StudioOption = service.StudioOption;

export type StudioField = studio.Field;

export type StudioPhotoSlot = studio.PhotoSlot;

export type StudioTemplate = service.StudioTemplate;

export type StudioSize = studio.Size;

export type StudioSetup = service.StudioSetup;

export type Point = studio.Point;

export type Rect = studio.Rect;

export type RedactMode = 'blur' | 'pixelate';

export type Redaction = studio.Redaction;

/** Where a photo in an image came from (app.ImageSource). */
export type ImageSource = app.ImageSource;

export type StudioPhoto = service.StudioPhoto;

/** One photo a consent covers. */
export type StudioConsentPhoto = service.StudioConsentPhoto;

/** A signed consent with photos, and whether they can go on an image today. */
export type StudioConsentChoice = service.StudioConsentChoice;

/** A library image whose provenance is unknown (kept before PracticePost asked). */
export type StudioUnplaced = service.StudioUnplaced;

export type ImageDeclaration = app.ImageDeclaration;

export type StudioPhotoInput = service.StudioPhotoInput;

export type Background = studio.Background;

export type AttributionMode = 'full_name' | 'first_name' | 'initials' | 'anonymous';

export type StudioDesign = service.StudioDesign;

/** One way of naming the patient, and whether the testimonial's consent allows it. */
export type StudioModeChoice = service.StudioModeChoice;

/** A testimonial as the quote card uses it (StudioService.FromTestimonial). */
export type StudioQuoteSource = service.StudioQuoteSource;

export type Overflow = studio.Overflow;

export type StudioPreview = service.StudioPreview;

export type StudioVariant = service.StudioVariant;

export type StudioRender = service.StudioRender;

export type StudioLibraryItem = service.StudioLibraryItem;

export type StudioLibrary = service.StudioLibrary;

export type StudioExport = service.StudioExport;

export interface StudioProgress {
  renderId: string;
  done: number;
  total: number;
}

export const studioProgressEvent = 'studio:progress' as const;

export const studioSetup = () => Studio.Setup();
export const quoteFromTestimonial = (id: number) => Studio.FromTestimonial(id);
export const clinicianFields = (index: number) => Studio.ClinicianFields(index);
/** A photo from the computer, declared as showing no patient. */
export const uploadPhoto = (fileName: string, base64: string, declared: string) =>
  Studio.UploadPhoto(fileName, base64, declared);
/** A photo a signed consent covers: its stored bytes, with what it shows. */
export const photoFromConsent = (consentId: number, sha256: string, showsFace: boolean) =>
  Studio.PhotoFromConsent(consentId, sha256, showsFace);
export const consentPhotos = () => Studio.ConsentPhotos();
export const sourceDeclarations = () => Studio.Declarations();
export const unplacedImages = () => Studio.UnplacedImages();
export const declareImage = (setId: string, d: ImageDeclaration) =>
  Studio.DeclareImage(setId, d);
export const forgetPhoto = (id: string) => Studio.ForgetPhoto(id);
export const previewDesign = (design: StudioDesign, sizeId: string, longSide = 0) =>
  Studio.Preview(design, sizeId, longSide);
export const renderDesign = (design: StudioDesign) => Studio.Render(design);
export const keepRender = (renderId: string, altText: string, acceptOverflow: boolean) =>
  Studio.Keep(renderId, altText, acceptOverflow);
export const exportRender = (renderId: string, folder: string, altText: string, acceptOverflow: boolean) =>
  Studio.Export(renderId, folder, altText, acceptOverflow);
export const chooseExportFolder = () => Studio.ChooseExportFolder();
export const studioLibrary = (limit = 200, offset = 0) =>
  Studio.Library(limit, offset);
export const deleteMedia = (id: number) => Studio.DeleteMedia(id);
