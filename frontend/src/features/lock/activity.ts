// The idle lock counts only what the manager does, not what screens poll:
// keys, clicks, touches, scrolling and pointer movement send one ping to
// the backend at most every PING_EVERY_MS. A ping that arrives after the
// idle minutes have passed is refused, and the lock screen shows.

export const PING_EVERY_MS = 30_000;

const kinds = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** Watches for activity on target and calls ping, throttled; returns the stop function. */
export function watchActivity(target: Window, ping: () => void, now: () => number = Date.now): () => void {
  let last = -Infinity;
  const on = () => {
    const t = now();
    if (t - last < PING_EVERY_MS) return;
    last = t;
    ping();
  };
  kinds.forEach((k) => target.addEventListener(k, on, { passive: true, capture: true }));
  return () => kinds.forEach((k) => target.removeEventListener(k, on, { capture: true }));
}
