import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { toAppError } from './api/errors';
import { onEvent, type EventPayloads } from './api/system';

/**
 * What a screen reads from the backend: read when the screen opens, again
 * when deps (what read depends on) change and on each of the backend events
 * named. value is null until the first read; error is the message when a
 * read failed; reload reads again.
 */
export function useLoaded<T>(read: () => Promise<T>, deps: DependencyList, events: (keyof EventPayloads)[] = []) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState('');
  // read is a new function on every render; deps say when it reads something else.
  const reload = useCallback(() => {
    read().then(setValue).catch((e) => setError(toAppError(e).message));
  }, deps);
  // Callers pass a new array each render: listen again only when the names change.
  const names = events.join(' ');
  useEffect(() => {
    reload();
    const offs = events.map((name) => onEvent(name, reload));
    return () => offs.forEach((off) => off());
  }, [reload, names]);
  return { value, error, reload };
}
