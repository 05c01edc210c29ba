import * as Hosting from '../../wailsjs/go/service/HostingService';

/** What Settings → Media hosting edits; the secret may be left empty to keep the saved one. */
export interface HostingInput {
  provider: string;
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  pathStyle: boolean;
}

/** The saved bucket, never with its secret. */
export interface HostingSettings {
  connected: boolean;
  provider: string;
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  pathStyle: boolean;
  hasSecret: boolean;
  checkedAt: string;
  warnings: string[];
  message: string;
}

export interface HostingCheck {
  ok: boolean;
  warnings: string[];
  message: string;
  settings: HostingSettings;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export const getHosting = () => Hosting.Get() as unknown as Promise<HostingSettings>;
export const testHosting = (input: HostingInput) => Hosting.Test(input as any) as unknown as Promise<HostingCheck>;
export const saveHosting = (input: HostingInput) => Hosting.Save(input as any) as unknown as Promise<HostingCheck>;
export const disconnectHosting = () => Hosting.Disconnect();

export const HostingEvents = {
  changed: 'hosting:changed',
} as const;
