import * as System from '../../wailsjs/go/service/SystemService';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import type { CollectProgress } from './insights';
import type { MailStatus } from './mail';
import type { PublishProgress } from './publish';
import type { StudioProgress } from './studio';

export const systemInfo = () => System.Info();
/** The sign-ins this copy was built without, on the Channels or Mailbox screen. */
export const missingSignIns = (screen: 'Channels' | 'Mailbox') =>
  System.MissingSignIns(screen);
export const backgroundSettings = () => System.Background();
export const setStartAtLogin = (on: boolean) => System.SetStartAtLogin(on);
export const setCloseKeepsRunning = (keep: boolean) => System.SetCloseKeepsRunning(keep);
export const updates = () => System.Updates();
/** The libraries PracticePost ships, with their licences' texts. */
export const licences = () => System.Licences();
export const checkForUpdates = () => System.CheckForUpdates();
/** Downloads, checks and starts the installer; PracticePost then quits. */
export const installUpdate = () => System.InstallUpdate();
let firstScreenSignalled = false;
/**
 * Tells the backend the first screen is drawn with its data (the cold-start
 * measurement, scripts/coldstart.sh). Only the first call counts: Home once
 * its own loads have answered, or the lock, recovery or error screen when
 * one of those comes first.
 */
export const signalFirstScreen = () => {
  if (firstScreenSignalled) return;
  firstScreenSignalled = true;
  requestAnimationFrame(() => void Promise.resolve().then(() => System.Ready()).catch(() => undefined));
};

/**
 * What each backend event carries. Events are not bound methods, so Wails
 * generates no types for them: each entry mirrors its Go emitter. unknown:
 * the screens only reload on it.
 */
export interface EventPayloads {
  'backup:progress': { fraction: number }; // service/backup.go
  'brand:changed': unknown;
  'data:replaced': unknown;
  'lock:locked': unknown;
  'consent:changed': unknown;
  'channels:changed': unknown;
  'drafts:changed': unknown;
  'hosting:changed': unknown;
  'inbox:changed': unknown;
  'inbox:progress': { done: number; total: number; channel: string }; // service/inbox.go
  'insights:progress': CollectProgress;
  'insights:updated': unknown;
  'mail:changed': unknown;
  'mail:status': MailStatus;
  'publish:progress': PublishProgress;
  'studio:progress': StudioProgress;
}

/** Subscribes to a backend event; returns the unsubscribe function. */
export function onEvent<K extends keyof EventPayloads>(name: K, fn: (data: EventPayloads[K]) => void): () => void {
  return EventsOn(name, fn);
}

export const Events = {
  backupProgress: 'backup:progress',
  brandChanged: 'brand:changed',
  dataReplaced: 'data:replaced',
  locked: 'lock:locked',
} as const;
