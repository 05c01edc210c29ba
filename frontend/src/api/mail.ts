import * as Mail from '../../wailsjs/go/service/MailService';
import type { ConsentRequest } from './types';

// Types mirror app/service/mail.go and app/mail/settings.go.

export type Security = 'tls' | 'starttls' | 'none';

export interface MailServer {
  host: string;
  port: number;
  security: Security;
}

export interface MailSettings {
  imap: MailServer;
  smtp: MailServer;
  username: string;
  fromAddress: string;
  fromName: string;
  mailbox: string;
  moveProcessed: boolean;
  processedMailbox: string;
  /** The provider's name in Authentication-Results; '' derives it from the IMAP host. */
  authServId?: string;
  /** When the mailbox was first connected (RFC 3339); set by the app. */
  connectedAt?: string;
  /** '' signs in with the password; 'microsoft' or 'google' with a token saved by signIn. */
  signIn?: '' | 'microsoft' | 'google';
}

export interface MailSignInOption {
  provider: 'microsoft' | 'google';
  label: string;
  available: boolean;
  /** Who should use it, or what this build lacks. */
  note: string;
}

export interface MailSettingsView {
  settings: MailSettings;
  configured: boolean;
  passwordSaved: boolean;
  /** A Microsoft or Google sign-in is saved on this computer. */
  signedIn: boolean;
}

export interface MailSettingsInput {
  settings: MailSettings;
  password: string;
}

export interface TestResult {
  ok: boolean;
  message: string;
  field: string;
}

export interface MailStatus {
  configured: boolean;
  watching: boolean;
  usingIdle: boolean;
  address: string;
  lastSync: string;
  lastError: string;
  /** How this server is handled, e.g. processed replies stay in INBOX; '' when nothing to say. */
  note: string;
  pending: number;
}

export interface MailRequestView {
  id: number;
  kind: 'consent' | 'testimonial';
  patientId: number;
  patientName: string;
  to: string;
  token: string;
  state: 'sending' | 'sent' | 'failed' | 'answered';
  stateText: string;
  error: string;
  createdAt: string;
  sentAt: string;
  emailUrl: string;
}

export type ReplyStatus = 'pending' | 'confirmed' | 'rejected' | 'ignored';

export interface ReplySummary {
  id: number;
  kind: '' | 'consent' | 'testimonial';
  patientName: string;
  fromAddress: string;
  subject: string;
  receivedAt: string;
  status: ReplyStatus;
  flags: string[];
  preview: string;
  intent: ReplyIntent;
}

/** What a reply is: an answer to an open request, a withdrawal, a later reply to look at, or an unknown reference. */
export type ReplyIntent = 'answer' | 'withdrawal' | 'needs_look' | 'unmatched';

/** What the practice's own mail provider said about the sender (Authentication-Results). */
export interface SenderCheck {
  authServId: string;
  dmarc: string;
  spf: string;
  dkim: string;
  headerFrom: string;
  verdict: 'pass' | 'fail' | 'unknown';
  forged: boolean;
}

export interface FlagView {
  flag: string;
  title: string;
  text: string;
}

export interface ScopeOptionView {
  key: string;
  label: string;
  group: 'identity' | 'channel';
  answer: 'yes' | 'no' | 'ambiguous' | 'unanswered';
  line: string;
}

export interface AttachmentView {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  url: string;
  isImage: boolean;
}

export interface ReplyView extends ReplySummary {
  fromName: string;
  words: string;
  htmlOnly: boolean;
  typedName: string;
  attachments: AttachmentView[];
  flagViews: FlagView[];
  notes: string[];
  options: ScopeOptionView[];
  unclear: string[];
  rawUrl: string;
  request: MailRequestView | null;
  patientId: number;
  recordName: string;
  quote: string;
  media: { sha256: string; kind: string; label: string; url: string }[];
  consentId: number;
  testimonialId: number;
  note: string;
  canConfirm: boolean;
  withdrawal: string;
  sender: SenderCheck;
  headersOnly: boolean;
  /** Unclear: confirming needs the record of how it was resolved. */
  needsResolution: boolean;
  /** Doubtful sender: confirming needs how it was verified. */
  needsSenderCheck: boolean;
  resolution: string;
  /** Consents this reply put on hold that still stand. */
  held: number[];
}

export interface ResolutionInput {
  how: string;
  who: string;
  when: string;
}

export interface ConfirmConsentInput {
  identity: string[];
  channels: string[];
  signerName: string;
  resolution?: ResolutionInput;
  senderCheck?: string;
}

/** A consent on hold after an emailed withdrawal: urgent on Home until confirmed or released. */
export interface HoldView {
  consentId: number;
  patientId: number;
  patientName: string;
  since: string;
  sinceText: string;
  reason: string;
  replyId: number;
  words: string;
  channels: string;
}

export interface RevokeResultLite {
  consent: { id: number; status: string; statusText: string };
  inWritingRequired: boolean;
  takedown: { platform: string; url: string }[];
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export const mailSettings = () => Mail.Settings() as unknown as Promise<MailSettingsView>;
export const saveMailSettings = (i: MailSettingsInput) => Mail.SaveSettings(i as any) as unknown as Promise<MailSettingsView>;
export const removeMailbox = () => Mail.RemoveMailbox() as unknown as Promise<MailSettingsView>;
export const testMailbox = (i: MailSettingsInput) => Mail.TestConnection(i as any) as unknown as Promise<TestResult>;
export const mailStatus = () => Mail.Status() as unknown as Promise<MailStatus>;
export const checkMailNow = () => Mail.CheckNow() as unknown as Promise<MailStatus>;
export const sendConsentRequest = (request: ConsentRequest, note: string) =>
  Mail.SendConsentRequest({ request, note } as any) as unknown as Promise<MailRequestView>;
export const sendTestimonialRequest = (patientId: number, note: string) =>
  Mail.SendTestimonialRequest(patientId, note) as unknown as Promise<MailRequestView>;
export const mailRequests = (patientId: number) => Mail.Requests(patientId) as unknown as Promise<MailRequestView[]>;
export const listReplies = (status: ReplyStatus | '') => Mail.Replies(status) as unknown as Promise<ReplySummary[]>;
export const getReply = (id: number) => Mail.Reply(id) as unknown as Promise<ReplyView>;
export const confirmConsentReply = (id: number, i: ConfirmConsentInput) =>
  Mail.ConfirmConsent(id, i as any) as unknown as Promise<ReplyView>;
export const confirmTestimonialReply = (id: number, quote: string, photos: string[]) =>
  Mail.ConfirmTestimonial(id, { quote, photos } as any) as unknown as Promise<ReplyView>;
export const dismissReply = (id: number, status: 'rejected' | 'ignored', note: string) =>
  Mail.Dismiss(id, status, note) as unknown as Promise<ReplyView>;
export const consentHolds = () => Mail.Holds() as unknown as Promise<HoldView[]>;
export const confirmWithdrawal = (consentId: number, note: string) =>
  Mail.ConfirmWithdrawal(consentId, note) as unknown as Promise<RevokeResultLite>;
export const releaseHold = (consentId: number, note: string) => Mail.ReleaseHold(consentId, note) as unknown as Promise<HoldView>;
export const signInOptions = () => Mail.SignInOptions() as unknown as Promise<MailSignInOption[]>;
export const signInMailbox = (provider: string, address: string) =>
  Mail.SignIn(provider, address) as unknown as Promise<MailSettingsView>;
export const lookBack = (days: number) => Mail.LookBack(days) as unknown as Promise<MailStatus>;

export const MailEvents = {
  status: 'mail:status',
  changed: 'mail:changed',
} as const;

/** Plain words for how the boxes were read. */
export const answerWords: Record<ScopeOptionView['answer'], string> = {
  yes: 'Agreed',
  no: 'Declined',
  ambiguous: 'Unclear',
  unanswered: 'Not answered',
};
