// Bound Go methods reject with the JSON string that service.FormatError
// makes. This is the one place that turns any rejection into words a
// practice manager can act on: never a stack, "[object Object]" or raw HTTP.

export interface AppError {
  code: string;
  message: string;
  field?: string;
}

const fallback =
  'Something went wrong inside PracticePost. Your saved work is safe; try again, and if it keeps happening use “Save log for support” in Settings → Activity and send the file to support.';

// Any call refused because the app is locked (left idle, or handed to a
// patient) brings up the lock screen, whichever screen made the call.
let lockedListener: (() => void) | null = null;

/** Registers what to do when a call is refused with code "locked"; returns the unregister function. */
export function onLockedError(fn: () => void): () => void {
  lockedListener = fn;
  return () => {
    if (lockedListener === fn) lockedListener = null;
  };
}

export function toAppError(err: unknown): AppError {
  if (typeof err === 'string') {
    try {
      const parsed = JSON.parse(err);
      if (parsed && typeof parsed.message === 'string' && typeof parsed.code === 'string') {
        if (parsed.code === 'locked') lockedListener?.();
        return { code: parsed.code, message: parsed.message, field: parsed.field || undefined };
      }
    } catch {
      // not JSON: a plain message from the runtime
    }
    return { code: 'internal', message: err.trim() ? err : fallback };
  }
  if (err && typeof err === 'object' && 'message' in err && typeof (err as Error).message === 'string') {
    return toAppError((err as Error).message);
  }
  return { code: 'internal', message: fallback };
}

export function errorMessage(err: unknown): string {
  return toAppError(err).message;
}
