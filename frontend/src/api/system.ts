import * as System from '../../wailsjs/go/service/SystemService';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import type { SystemInfo } from './types';

export const systemInfo = () => System.Info() as unknown as Promise<SystemInfo>;
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
