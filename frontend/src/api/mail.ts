import * as Mail from '../../wailsjs/go/service/MailService';
import type { ConsentRequest } from './types';
import type { app, mail, service } from '../../wailsjs/go/models';

// Types mirror app/service/mail.go and app/mail/settings.go.

export type Security = 'tls' | 'starttls' | 'none';

export type MailServer = mail.Server;

export type MailSettings = mail.Settings;

export type MailSignInOption = service.MailSignInOption;

export type MailSettingsView = service.MailSettingsView;

export type MailSettingsInput = service.MailSettingsInput;

export type TestResult = service.TestResult;

export type MailStatus = service.MailStatus;

export type MailRequestView = service.MailRequestView;

export type ReplyStatus = 'pending' | 'confirmed' | 'rejected' | 'ignored';

export type ReplySummary = service.ReplySummary;

/** What a reply is: an answer to an open request, a withdrawal, a later reply to look at, or an unknown reference. */
export type ReplyIntent = 'answer' | 'withdrawal' | 'needs_look' | 'unmatched' | 'bounced';

/** What the practice's own mail provider said about the sender (Authentication-Results). */
export type SenderCheck = app.SenderCheck;

export type FlagView = service.FlagView;

export type ScopeOptionView = service.ScopeOptionView;

export type AttachmentView = service.AttachmentView;

export type ReplyView = service.ReplyView;

export type ResolutionInput = service.ResolutionInput;

export type ConfirmConsentInput = service.ConfirmConsentInput;

/** A consent on hold after an emailed withdrawal: urgent on Home until confirmed or released. */
export type HoldView = service.HoldView;

export type RevokeResultLite = service.RevokeResult;

export const mailSettings = () => Mail.Settings();
export const saveMailSettings = (i: MailSettingsInput) => Mail.SaveSettings(i);
export const removeMailbox = () => Mail.RemoveMailbox();
export const testMailbox = (i: MailSettingsInput) => Mail.TestConnection(i);
export const mailStatus = () => Mail.Status();
export const checkMailNow = () => Mail.CheckNow();
export const sendConsentRequest = (request: ConsentRequest, note: string) =>
  Mail.SendConsentRequest({ request, note });
export const sendTestimonialRequest = (patientId: number, note: string) =>
  Mail.SendTestimonialRequest(patientId, note);
export const mailRequests = (patientId: number) => Mail.Requests(patientId);
export const listReplies = (status: ReplyStatus | '') => Mail.Replies(status);
export const getReply = (id: number) => Mail.Reply(id);
/** Resolution, sender and name checks only when the reply needs them: Go reads a missing one as empty. */
export const confirmConsentReply = (
  id: number,
  i: Omit<ConfirmConsentInput, 'resolution' | 'senderCheck' | 'nameCheck'> & Partial<Pick<ConfirmConsentInput, 'resolution' | 'senderCheck' | 'nameCheck'>>,
) => Mail.ConfirmConsent(id, { resolution: { how: '', who: '', when: '' }, senderCheck: '', nameCheck: '', ...i });
export const confirmTestimonialReply = (id: number, quote: string, photos: string[]) =>
  Mail.ConfirmTestimonial(id, { quote, photos });
export const dismissReply = (id: number, status: 'rejected' | 'ignored', note: string) =>
  Mail.Dismiss(id, status, note);
export const consentHolds = () => Mail.Holds();
export const confirmWithdrawal = (consentId: number, note: string) =>
  Mail.ConfirmWithdrawal(consentId, note);
export const releaseHold = (consentId: number, note: string) => Mail.ReleaseHold(consentId, note);
export const signInOptions = () => Mail.SignInOptions();
export const signInMailbox = (provider: string, address: string) =>
  Mail.SignIn(provider, address);
export const lookBack = (days: number) => Mail.LookBack(days);

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

export type PatientCopy = service.PatientCopy;

export type CopyView = service.CopyView;

/** The "Patient's copy" card of a signed consent. */
export const patientCopy = (consentId: number) => Mail.PatientCopy(consentId);
export const emailPatientCopy = (consentId: number) => Mail.EmailPatientCopy(consentId);
export const recordCopyHandedOver = (consentId: number) => Mail.RecordCopyHandedOver(consentId);
export type CopyDue = service.CopyDue;
/** Home's reminder: recent consents whose patient has no copy yet. */
export const copiesDue = () => Mail.CopiesDue();
