import { useFieldAction } from '../../useAction';

/**
 * The state every "connect an account" form shares: one request at a time,
 * the backend's message shown at the field it names (or above the button),
 * and onDone once the account is saved.
 */
export function useConnect(onDone: () => void) {
  const { error, busy, run: attempt, at } = useFieldAction();
  const run = (connect: () => Promise<unknown>) =>
    attempt(async () => {
      await connect();
      onDone();
    });
  return { error, busy, run, at };
}
