import { useCallback, useState } from 'react';
import { toAppError, type AppError } from './api/errors';

/**
 * A user action that waits on the backend, the way every screen runs one: busy
 * while it runs (for the button's spinner), and a failure kept to show,
 * cleared when the action is tried again. run resolves to what the action
 * returned, or undefined when it failed.
 */
function useRunner<E>(none: E, failure: (e: unknown) => E) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<E>(none);
  const run = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(none);
      try {
        return await action();
      } catch (e) {
        setError(failure(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [none, failure],
  );
  return { busy, error, setError, run };
}

const message = (e: unknown) => toAppError(e).message;

/**
 * An action whose failure is shown as one message. setError is there for the
 * screen's own loading, which reports through the same message.
 */
export function useAction() {
  return useRunner('', message);
}

/**
 * An action on a form: the failure is kept whole, so at(field) puts the
 * backend's message under the field it names (and error.field says whether
 * it named one).
 */
export function useFieldAction() {
  const r = useRunner<AppError | null>(null, toAppError);
  const at = (field: string) => (r.error?.field === field ? r.error.message : undefined);
  return { ...r, at };
}
