// Plain shapes of what the Go services send; they mirror the json tags in
// app/ and app/service. The generated classes in wailsjs/ are used only
// inside the wrappers.

export interface BrandColors {
  primary: string;
  secondary: string;
  accent: string;
  text: string;
  background: string;
}

export interface Clinician {
  name: string;
  role: string;
  regulator: string;
  number: string;
  specialist: boolean;
}

export interface BrandKit {
  practiceName: string;
  address: string;
  phone: string;
  email: string;
  website: string;
  country: string;
  disclaimer: string;
  hashtags: string[];
  colors: BrandColors;
  headingFont: string;
  bodyFont: string;
  logoSha256: string;
  clinicians: Clinician[];
  updatedAt?: string;
}

export interface ContrastWarning {
  pair: string;
  ratio: number;
  needed: number;
  message: string;
}

export interface FontFamily {
  name: string;
  kind: string;
  regular: string;
  bold: string;
  italic: string;
  license: string;
}

export interface BrandView {
  kit: BrandKit;
  warnings: ContrastWarning[];
  fonts: FontFamily[];
  regulators: string[];
  logoUrl: string;
}

export interface BackupFile {
  path: string;
  name: string;
  size: number;
  modified: string;
  automatic: boolean;
}

export interface BackupOverview {
  folder: string;
  folderIsSet: boolean;
  autoFolder: string;
  safetyFolder: string;
  dataFile: string;
  backups: BackupFile[];
  lastBackup: string | null;
  automaticKeep: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, string> | null;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  plain: number; // entries written before sealing began (plain checksum)
  keyedFrom: number; // first sealed entry; 0 when none
  keyed: boolean; // the sealed part was checked with this computer's key
  anchored: boolean; // the newest entry matched the record in the password store
  break?: { id: number; kind: string; reason: string };
  summary: string; // the outcome in words, with the next step when something is wrong
}

export interface SystemInfo {
  version: string;
  commit?: string;
  buildDate?: string; // RFC 3339, '' in a development build
  dataDir: string;
  logFile: string;
  openError: string;
  openErrorCode: string; // "recovery": the start-up screen asks for the recovery key
  dataFolderSync: string; // OneDrive, iCloud Drive, Dropbox, Google Drive, or ''
  dataFolderWarning: string;
}

// ---- release build (app/service/system_release.go, app/release)

export interface MissingSignIn {
  key: string; // x, google, linkedin (Channels); google, microsoft (Mailbox)
  name: string;
  screen: 'Channels' | 'Mailbox';
  otherwise: string;
}

export interface BackgroundSettings {
  closeKeepsRunning: boolean;
  startAtLogin: boolean;
  startAtLoginNote: string;
  canStartAtLogin: boolean;
}

export interface UpdateView {
  configured: boolean;
  current: string;
  available: boolean;
  version: string;
  notes: string;
  page: string;
  checkedAt: string;
  message: string;
  canInstall: boolean; // Windows: Install now downloads, checks and runs the installer
}

// ---- patients, consent, testimonials, lock (app/service/{patient,consent,testimonial,lock}.go)

export interface Patient {
  id: number;
  ref: string;
  fullName: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  needsRepresentative: boolean;
  createdAt: string;
}

export interface PatientView {
  patient: Patient;
  age: number;
  needsRepresentative: boolean;
}

export interface PatientInput {
  fullName: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  ref: string;
  needsRepresentative: boolean;
}

export interface ChoiceView {
  value: string;
  label: string;
}

export interface ChoiceState extends ChoiceView {
  ticked: boolean;
}

export interface ConsentSettings {
  privacyNoticeUrl: string;
  privacyContact: string;
  zone: string;
  withdrawalMethod: string;
  authorisedUsers: string;
  removalDays: number;
}

export interface TemplateView {
  versionId: string;
  country: string;
  title: string;
  reviewNotice: string;
}

export interface ConsentSetup {
  settings: ConsentSettings;
  country: string;
  practiceName: string;
  missing: string[];
  templates: TemplateView[];
  defaultTemplate: string;
  zones: string[];
  identity: ChoiceView[];
  channels: ChoiceView[];
  receivedBy: ChoiceView[];
  remuneration: ChoiceView[];
  defaultExpiry: number;
  maxExpiry: number;
  pinSet: boolean;
}

export interface ConsentMedia {
  sha256: string;
  kind: string;
  label: string;
}

export interface MediaView {
  sha256: string;
  url: string;
  /** What the file can be attached as, judged from its bytes. */
  kind: 'photo' | 'video' | 'audio';
  mime: string;
  size: number;
  width: number; // 0 for a video or recording
  height: number;
}

export interface MediaRef extends ConsentMedia {
  url: string;
}

export interface Remuneration {
  kind: string;
  description: string;
  disclosure: string;
}

export interface ConsentRequest {
  patientId: number;
  templateVersion: string;
  quote: string;
  source: string;
  healthDetails: string;
  media: ConsentMedia[];
  expiryMonths: number;
  remuneration: Remuneration;
  showsFace: boolean;
  /** The testimonial waiting for this consent (0 or absent: none). */
  testimonialId?: number;
  /** When the words or photos differ from that testimonial's: '' refuses, or the manager's choice. */
  words?: '' | 'use_edited' | 'new_testimonial';
}

export interface SigningDraft {
  identity: string[];
  channels: string[];
  signerName: string;
  representative: boolean;
  relationship: string;
  authority: string;
}

export interface PreviewView {
  text: string;
  sha256: string;
}

export interface SigningView {
  active: boolean;
  signed: boolean;
  title: string;
  practiceName: string;
  patientName: string;
  country: string;
  needsRepresentative: boolean;
  identity: ChoiceView[];
  channels: ChoiceView[];
  authorities: string[];
  media: MediaRef[];
  preview: PreviewView;
}

export interface StrokePoint {
  x: number;
  y: number;
  t: number;
}

export interface SignatureInput {
  pngBase64: string;
  strokes: StrokePoint[][];
  typedName: string;
}

export interface PaperInput {
  request: ConsentRequest;
  draft: SigningDraft;
  signedOn: string;
  scanFileName: string;
  scanBase64: string;
}

export interface Signer {
  name: string;
  representative: boolean;
  relationship: string;
  authority: string;
}

export interface RevocationView {
  at: string;
  on: string;
  receivedBy: string;
  receivedByLabel: string;
  note: string;
  inWritingRequired: boolean;
}

export type ConsentStatus = 'valid' | 'expiring' | 'expired' | 'revoked' | 'on_hold' | 'damaged';

export interface ConsentView {
  id: number;
  patientId: number;
  patientName: string;
  country: string;
  method: string;
  methodLabel: string;
  templateVersion: string;
  signedAt: string;
  signedOn: string;
  expiresAt: string;
  lastValidDay: string;
  status: ConsentStatus;
  statusText: string;
  identity: ChoiceState[];
  channels: ChoiceState[];
  quote: string;
  healthDetails: string;
  media: MediaRef[];
  remuneration: string;
  signer: Signer;
  evidenceHash: string;
  pdfUrl: string;
  signatureUrl: string;
  scanUrl: string;
  revocation: RevocationView | null;
}

export interface Publication {
  consentId: number;
  postId: number;
  platform: string;
  remoteId: string;
  url: string;
  publishedAt: string;
}

export interface ConsentDetail {
  consent: ConsentView;
  text: string;
  takedown: Publication[];
}

export interface RevokeResult {
  consent: ConsentView;
  inWritingRequired: boolean;
  takedown: Publication[];
}

export interface ExpiryWarning {
  consentId: number;
  patientId: number;
  expiresAt: string;
  daysLeft: number;
  message: string;
  /** Posts waiting to go out that rely on this consent. */
  scheduled: number;
  /** Posts live now that used it. */
  live: number;
}

export interface LockStatus {
  locked: boolean;
  pinSet: boolean;
  waitSeconds: number;
  signedConsentId: number;
  /** Minutes unused before PracticePost locks itself (Settings → Lock). */
  idleMinutes: number;
}

export interface ConsentProblem {
  code: string;
  reason: string;
}

export interface ChannelVerdict {
  channel: string;
  label: string;
  mayPublish: boolean;
  problems: ConsentProblem[] | null;
  mayBoost: boolean;
  boostProblems: ConsentProblem[] | null;
}

export interface Testimonial {
  id: number;
  patientId: number;
  consentId: number;
  quote: string;
  source: string;
  saidOn: string;
  nameAs: string;
  showsFace: boolean;
  media: ConsentMedia[];
  createdAt: string;
}

export interface TestimonialView {
  testimonial: Testimonial;
  patientName: string;
  media: MediaRef[];
  consent: ConsentView | null;
  verdicts: ChannelVerdict[];
  publishable: number;
  summary: string;
  disclosure: string;
}

export interface TestimonialInput {
  patientId: number;
  consentId: number;
  quote: string;
  source: string;
  saidOn: string;
  nameAs: string;
  showsFace: boolean;
  media: ConsentMedia[];
}

// ---- drafts and calendar (app/service/draft.go, calendar.go) ----

export interface DraftMedia {
  mediaId: number;
  sha256: string;
  altText: string;
}

export interface Draft {
  id: number;
  title: string;
  body: string;
  versions: Record<string, string>;
  channels: string[];
  hashtags: string[];
  link: string;
  utm: boolean;
  campaign: string;
  pillar: string;
  media: DraftMedia[];
  testimonials: number[];
  /** Will be promoted as a paid advert: the consent gate needs paid scope. */
  paid: boolean;
  status: 'draft' | 'scheduled' | 'published';
  scheduledAt: string | null;
  localTime: string;
  zone: string;
  awarenessId: string;
  createdAt: string;
  updatedAt: string;
}

export interface DraftInput {
  id: number;
  title: string;
  body: string;
  versions: Record<string, string>;
  channels: string[];
  hashtags: string[];
  link: string;
  utm: boolean;
  campaign: string;
  pillar: string;
  media: DraftMedia[];
  testimonials: number[];
  paid: boolean;
  localTime?: string;
  awarenessId?: string;
}

export interface GuardCounter {
  name: string;
  used: number;
  limit: number;
}

export interface GuardFinding {
  kind: string;
  severity: 'block' | 'warn';
  start: number;
  end: number;
  text?: string;
  message: string;
  fix: string;
  image?: number;
  channels: string[];
  target: string; // "body", a channel id (its own version), or "" (whole post / added text)
}

export interface ChannelCheck {
  channel: string;
  label: string;
  text: string;
  link: string;
  counters: GuardCounter[];
  blocked: boolean;
  note: string;
}

export interface DraftCheck {
  moment: string;
  channels: ChannelCheck[];
  findings: GuardFinding[];
  blocked: boolean;
  reasons: string[];
}

export interface DraftView {
  draft: Draft;
  check: DraftCheck;
  zone: string;
  whenLabel: string;
  canSchedule: boolean;
  publishReason: string;
  notice: string;
}

export interface DraftSummary {
  id: number;
  title: string;
  status: string;
  pillar: string;
  channels: string[];
  localTime: string;
  updatedAt: string;
}

export interface CalendarSettings {
  zone: string;
  zoneLabel: string;
  osZone: string;
  zones: string[];
  specialties: string[];
  specialtyChoices: ChoiceView[];
  country: string;
}

export interface CalendarPost {
  id: number;
  title: string;
  start: string;
  status: string;
  pillar: string;
  channels: string[];
  zone: string;
  localNote: string;
}

export interface AwarenessView {
  id: string;
  name: string;
  countries: string[];
  specialties: string[];
  organiser: string;
  about: string;
  idea: string;
  hashtags: string[];
  start: string;
  end: string;
  relevant: boolean;
}

export interface CalendarRange {
  zone: string;
  posts: CalendarPost[];
  awareness: AwarenessView[];
}

export interface Idea {
  id: number;
  sourceId: string;
  specialty: string;
  pillar: string;
  title: string;
  text: string;
  hashtags: string[];
}

// Channels and publishing (app/service/channels.go, publish.go, publish/queue).

export type ChannelState = 'connected' | 'expiring_soon' | 'needs_reconnect' | 'unavailable';

export interface ChannelView {
  id: string;
  platform: 'facebook' | 'mastodon' | 'bluesky' | 'instagram' | 'linkedin' | 'google' | 'x';
  accountId: string;
  name: string;
  handle: string;
  baseUrl: string;
  expiresAt: string;
  needsReconnect: boolean;
  problemMessage: string;
  lastTestAt: string;
  lastTestUrl: string;
  lastTestId: string;
  connectedAt: string;
  updatedAt: string;
  title: string;
  state: ChannelState;
  daysLeft: number;
  message: string;
}

export interface TestPostResult {
  url: string;
  message: string;
  channel: ChannelView;
}

export type PublishState =
  | 'queued' | 'attempting' | 'published' | 'failed' | 'waiting' | 'missed' | 'scheduled_remote' | 'blocked' | 'cancelled';

export interface JobView {
  id: number;
  requestId: number;
  draftId: string;
  channel: string;
  platform: string;
  state: PublishState;
  text: string;
  scheduledAt: string;
  zone: string;
  nextAt: string;
  native: boolean;
  attempts: number;
  errorKind: string;
  errorCode: string;
  errorMessage: string;
  platformMessage: string;
  remoteId: string;
  remoteUrl: string;
  remoteScheduledAt: string;
  publishedAt: string;
  takedown: '' | 'pending' | 'deleted' | 'failed';
  takedownError: string;
  channelName: string;
  title: string;
  nativeNote: string;
}

export interface PublishInput {
  draftId: number;
  channels: string[];
  date: string;
  clock: string;
  /** Google Business Profile event or offer; omitted for a plain update. */
  google?: GoogleTopic | null;
  /** Send to Google without the photo (no storage bucket connected). */
  googleTextOnly?: boolean;
}

/** The event or offer part of a Google post; practice-time dates ("2026-05-02") and clocks ("09:30"). */
export interface GoogleTopic {
  type: 'STANDARD' | 'EVENT' | 'OFFER';
  title: string;
  startDate: string;
  startClock: string;
  endDate: string;
  endClock: string;
  allDay: boolean;
  couponCode: string;
  redeemUrl: string;
  terms: string;
  action: string;
  actionUrl: string;
}

export interface PublishResult {
  requestId: number;
  jobs: JobView[];
  check: DraftCheck;
  draft: DraftView;
}

/** One step of one post, as the queue reports it (publish:progress). */
export interface PublishProgress {
  jobId: number;
  requestId: number;
  draftId: string;
  channel: string;
  platform: string;
  step: string;
  state: PublishState;
  url?: string;
  message?: string;
  kind?: string;
  retryAt?: string;
}

export interface Takedown {
  jobId: number;
  channel: string;
  platform: string;
  remoteId: string;
  url: string;
  publishedAt: string;
  scheduled: boolean;
  takedown: '' | 'pending' | 'failed';
  error?: string;
}

export interface BackgroundView {
  /** Channel jobs still to send. */
  waiting: number;
  /** The posts they belong to (one post to three channels counts once). */
  posts: number;
  nextAt: string;
  message: string;
}

// ---- recovery key (app/service/recovery.go)

export interface RecoveryStatus {
  needsKey: boolean;
  made: boolean;
  madeAt: string | null;
}

export interface RecoveryKeyView {
  words: string[];
  madeAt: string;
}
