import * as Consent from '../../wailsjs/go/service/ConsentService';
import * as Lock from '../../wailsjs/go/service/LockService';
import type { ConsentRequest, ConsentSettings, PaperInput, SignatureInput, SigningDraft } from './types';

export const consentSetup = () => Consent.Setup();
export const saveConsentSettings = (s: ConsentSettings) => Consent.SaveSettings(s);
export const uploadMedia = (fileName: string, base64: string) => Consent.UploadMedia(fileName, base64);
export const handToPatient = (r: ConsentRequest) => Consent.HandToPatient(r);
export const signingView = () => Consent.Signing();
export const previewForm = (d: SigningDraft) => Consent.Preview(d);
export const signForm = (d: SigningDraft, s: SignatureInput, sha: string) =>
  Consent.Sign(d, s, sha);
export const recordPaper = (p: PaperInput) => Consent.RecordPaper(p);
export const listConsents = (patientId = 0) => Consent.List(patientId);
export const getConsent = (id: number) => Consent.Get(id);
export const revokeConsent = (id: number, on: string, receivedBy: string, note: string) =>
  Consent.Revoke(id, on, receivedBy, note);
export const saveConsentPDF = (id: number) => Consent.SavePDF(id);
export const expiringConsents = (days: number) => Consent.Expiring(days);

export const lockStatus = () => Lock.Status();
export const setPIN = (pin: string, confirm: string) => Lock.SetPIN(pin, confirm);
export const changePIN = (current: string, pin: string, confirm: string) =>
  Lock.ChangePIN(current, pin, confirm);
export const unlock = (pin: string) => Lock.Unlock(pin);
/** The activity ping: the manager is using the app (keys, clicks, touches). */
export const lockActive = () => Lock.Active();
export const setIdleMinutes = (minutes: number) => Lock.SetIdleMinutes(minutes);

export const ConsentEvents = { changed: 'consent:changed' } as const;
