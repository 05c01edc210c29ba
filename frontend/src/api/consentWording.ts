import * as Consent from '../../wailsjs/go/service/ConsentService';

/** The wording of one country's consent form as new requests show it. */
export interface WordingView {
  country: 'GB' | 'US';
  key: string;
  versionId: string;
  version: number;
  title: string;
  markdown: string;
  sha256: string;
  savedAt: string;
  savedBy: string;
  /** The text is exactly PracticePost's shipped wording. */
  shipped: boolean;
  placeholders: string[];
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export const consentWording = (country: string) => Consent.ConsentWording(country) as unknown as Promise<WordingView>;
export const saveConsentWording = (country: string, markdown: string) =>
  Consent.SaveConsentWording(country, markdown) as unknown as Promise<WordingView>;
export const restoreShippedWording = (country: string) =>
  Consent.RestoreShippedWording(country) as unknown as Promise<WordingView>;
