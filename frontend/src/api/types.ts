// The Go contract under the names the screens use. The shapes are generated
// from the Go types by `make types` into wailsjs/go/models.ts (never edit
// it; `make test` fails when it is out of date); this file only names them.
import type { app, assets, consent, guard, queue, release, service, store } from '../../wailsjs/go/models';

export type BrandColors = app.BrandColors;
export type Clinician = app.Clinician;
export type BrandKit = app.BrandKit;
export type ContrastWarning = app.ContrastWarning;
export type FontFamily = assets.FontFamily;
export type Library = assets.Library;
export type BrandView = service.BrandView;
export type BackupFile = app.BackupFile;
export type BackupOverview = service.BackupOverview;
export type AuditEntry = app.AuditEntry;
export type AuditPage = app.AuditPage;
export type VerifyResult = store.VerifyResult;
export type SystemInfo = service.SystemInfo;
export type MissingSignIn = release.SignIn;
export type BackgroundSettings = service.BackgroundView;
export type UpdateView = service.UpdateView;
export type Patient = app.Patient;
export type PatientView = service.PatientView;
export type PatientInput = service.PatientInput;
export type ChoiceView = service.ChoiceView;
export type ChoiceState = service.ChoiceState;
export type ConsentSettings = service.ConsentSettings;
export type TemplateView = service.TemplateView;
export type ConsentSetup = service.ConsentSetup;
export type ConsentMedia = app.ConsentMedia;
export type MediaView = service.MediaView;
export type MediaRef = service.MediaRef;
export type Remuneration = app.Remuneration;
export type ConsentRequest = service.ConsentRequest;
export type SigningDraft = service.SigningDraft;
export type PreviewView = service.PreviewView;
export type SigningView = service.SigningView;
export type StrokePoint = app.StrokePoint;
export type SignatureInput = service.SignatureInput;
export type PaperInput = service.PaperInput;
export type Signer = app.Signer;
export type RevocationView = service.RevocationView;
export type ConsentView = service.ConsentView;
export type Publication = app.Publication;
export type ConsentDetail = service.ConsentDetail;
export type RevokeResult = service.RevokeResult;
export type ExpiryWarning = service.ConsentExpiry;
export type LockStatus = service.LockStatus;
export type ConsentProblem = consent.Problem;
export type ChannelVerdict = consent.ChannelVerdict;
export type Testimonial = app.Testimonial;
export type TestimonialView = service.TestimonialView;
export type TestimonialInput = service.TestimonialInput;
export type QuoteEditView = service.QuoteEditView;
export type EmailApprovalView = service.EmailApprovalView;
export type EmailApprovalReadiness = service.EmailApprovalReadiness;
export type QuoteApprovalScreen = service.QuoteApprovalScreen;
export type QuoteDiffPart = consent.QuoteDiffPart;
export type DraftMedia = app.DraftMedia;
export type Draft = app.Draft;
export type DraftInput = service.DraftInput;
export type GuardCounter = guard.Counter;
export type GuardFinding = service.FindingView;
export type ChannelCheck = service.ChannelCheck;
export type DraftCheck = service.DraftCheck;
export type DraftView = service.DraftView;
export type DraftSummary = service.DraftSummary;
export type CalendarSettings = service.CalendarSettings;
export type CalendarPost = service.CalendarPost;
export type AwarenessView = service.AwarenessView;
export type CalendarRange = service.CalendarRange;
export type Idea = app.Idea;
export type ChannelView = service.ChannelView;
export type TestPostResult = service.TestPostResult;
export type JobView = service.JobView;
export type PublishInput = service.PublishInput;
export type GoogleTopic = service.GoogleTopic;
export type PublishResult = service.PublishResult;
export type Takedown = queue.Takedown;
export type BackgroundView = service.Background;
export type RecoveryStatus = service.RecoveryStatus;
export type RecoveryKeyView = service.RecoveryKeyView;

// The states the Go side sends as plain strings, spelled out for the screens
// that switch on them (Go has no union types for Wails to generate).
export type ConsentStatus = 'valid' | 'expiring' | 'expired' | 'revoked' | 'on_hold' | 'damaged';
export type ChannelState = 'connected' | 'expiring_soon' | 'needs_reconnect' | 'unavailable';
export type PublishState =
  | 'queued' | 'attempting' | 'published' | 'failed' | 'waiting' | 'missed' | 'scheduled_remote' | 'blocked' | 'cancelled';
