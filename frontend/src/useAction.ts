import { useCallback, useState } from 'react';
import { toAppError } from './api/errors';

/**
 * A user action that waits on the backend, the way every screen runs one: busy
 * while it runs (for the button's spinner), and a failure kept as the plain
 * message to show, cleared when the action is tried again. run resolves to
 * what the action returned, or undefined when it failed.
 *
 * setError is there for the screen's own loading, which reports through the
 * same message.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError('');
    try {
      return await action();
    } catch (e) {
      setError(toAppError(e).message);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
