import * as Hosting from '../../wailsjs/go/service/HostingService';
import type { service } from '../../wailsjs/go/models';

/** What Settings → Media hosting edits; the secret may be left empty to keep the saved one. */
export type HostingInput = service.HostingInput;

/** The saved bucket, never with its secret. */
export type HostingSettings = service.HostingSettings;

export type HostingCheck = service.HostingCheck;

export const getHosting = () => Hosting.Get();
export const testHosting = (input: HostingInput) => Hosting.Test(input);
export const saveHosting = (input: HostingInput) => Hosting.Save(input);
export const disconnectHosting = () => Hosting.Disconnect();

export const HostingEvents = {
  changed: 'hosting:changed',
} as const;
