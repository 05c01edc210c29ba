import { useSyncExternalStore } from 'react';
import type { LockStatus } from '../../api/types';

// The lock state as the shell last heard it from the backend. The backend
// is the authority (a reload asks it again); this only lets the page that
// hands the screen over switch the shell to the signing screen at once.
let current: LockStatus | null = null;
const listeners = new Set<() => void>();

export function setLockStatus(s: LockStatus | null) {
  current = s;
  listeners.forEach((l) => l());
}

export function useLockStatus(): LockStatus | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
