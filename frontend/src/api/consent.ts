import * as Consent from '../../wailsjs/go/service/ConsentService';
import * as Lock from '../../wailsjs/go/service/LockService';
import type {
  ConsentDetail, ConsentRequest, ConsentSettings, ConsentSetup, ConsentView, ExpiryWarning, LockStatus, MediaView,
  PaperInput, PreviewView, RevokeResult, SignatureInput, SigningDraft, SigningView,
} from './types';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const consentSetup = () => Consent.Setup() as unknown as Promise<ConsentSetup>;
export const saveConsentSettings = (s: ConsentSettings) => Consent.SaveSettings(s as any) as unknown as Promise<ConsentSetup>;
export const uploadMedia = (fileName: string, base64: string) => Consent.UploadMedia(fileName, base64) as unknown as Promise<MediaView>;
export const handToPatient = (r: ConsentRequest) => Consent.HandToPatient(r as any) as unknown as Promise<LockStatus>;
export const signingView = () => Consent.Signing() as unknown as Promise<SigningView>;
export const previewForm = (d: SigningDraft) => Consent.Preview(d as any) as unknown as Promise<PreviewView>;
export const signForm = (d: SigningDraft, s: SignatureInput, sha: string) =>
  Consent.Sign(d as any, s as any, sha) as unknown as Promise<SigningView>;
export const recordPaper = (p: PaperInput) => Consent.RecordPaper(p as any) as unknown as Promise<ConsentView>;
export const listConsents = (patientId = 0) => Consent.List(patientId) as unknown as Promise<ConsentView[]>;
export const getConsent = (id: number) => Consent.Get(id) as unknown as Promise<ConsentDetail>;
export const revokeConsent = (id: number, on: string, receivedBy: string, note: string) =>
  Consent.Revoke(id, on, receivedBy, note) as unknown as Promise<RevokeResult>;
export const saveConsentPDF = (id: number) => Consent.SavePDF(id);
export const expiringConsents = (days: number) => Consent.Expiring(days) as unknown as Promise<ExpiryWarning[]>;

export const lockStatus = () => Lock.Status() as unknown as Promise<LockStatus>;
export const setPIN = (pin: string, confirm: string) => Lock.SetPIN(pin, confirm) as unknown as Promise<LockStatus>;
export const changePIN = (current: string, pin: string, confirm: string) =>
  Lock.ChangePIN(current, pin, confirm) as unknown as Promise<LockStatus>;
export const unlock = (pin: string) => Lock.Unlock(pin) as unknown as Promise<LockStatus>;
/** The activity ping: the manager is using the app (keys, clicks, touches). */
export const lockActive = () => Lock.Active() as unknown as Promise<LockStatus>;
export const setIdleMinutes = (minutes: number) => Lock.SetIdleMinutes(minutes) as unknown as Promise<LockStatus>;

export const ConsentEvents = { changed: 'consent:changed' } as const;
