import { useState } from 'react';
import { toAppError, type AppError } from '../../api/errors';

/**
 * The state every "connect an account" form shares: one request at a time,
 * the backend's message shown at the field it names (or above the button),
 * and onDone once the account is saved.
 */
export function useConnect(onDone: () => void) {
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (connect: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await connect();
      onDone();
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };
  const at = (field: string) => (error?.field === field ? error.message : undefined);
  return { error, busy, run, at };
}
