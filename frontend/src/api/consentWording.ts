import * as Consent from '../../wailsjs/go/service/ConsentService';
import type { service } from '../../wailsjs/go/models';

/** The wording of one country's consent form as new requests show it. */
export type WordingView = service.WordingView;

export const consentWording = (country: string) => Consent.ConsentWording(country);
export const saveConsentWording = (country: string, markdown: string) =>
  Consent.SaveConsentWording(country, markdown);
export const restoreShippedWording = (country: string) =>
  Consent.RestoreShippedWording(country);
