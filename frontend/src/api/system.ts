import * as System from '../../wailsjs/go/service/SystemService';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import type { BackgroundSettings, MissingSignIn, SystemInfo, UpdateView } from './types';

export const systemInfo = () => System.Info() as unknown as Promise<SystemInfo>;
/** The sign-ins this copy was built without, on the Channels or Mailbox screen. */
export const missingSignIns = (screen: 'Channels' | 'Mailbox') =>
  System.MissingSignIns(screen) as unknown as Promise<MissingSignIn[]>;
export const backgroundSettings = () => System.Background() as unknown as Promise<BackgroundSettings>;
export const setStartAtLogin = (on: boolean) => System.SetStartAtLogin(on) as unknown as Promise<BackgroundSettings>;
export const setCloseKeepsRunning = (keep: boolean) => System.SetCloseKeepsRunning(keep) as unknown as Promise<BackgroundSettings>;
export const updates = () => System.Updates() as unknown as Promise<UpdateView>;
export const checkForUpdates = () => System.CheckForUpdates() as unknown as Promise<UpdateView>;
/** Downloads, checks and starts the installer; PracticePost then quits. */
export const installUpdate = () => System.InstallUpdate() as unknown as Promise<UpdateView>;
export const signalReady = () => System.Ready();

/** Subscribes to a backend event; returns the unsubscribe function. */
export function onEvent<T = unknown>(name: string, fn: (data: T) => void): () => void {
  return EventsOn(name, fn as (...data: unknown[]) => void);
}

export const Events = {
  backupProgress: 'backup:progress',
  brandChanged: 'brand:changed',
  dataReplaced: 'data:replaced',
  locked: 'lock:locked',
} as const;
