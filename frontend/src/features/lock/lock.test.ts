import { describe, expect, it, vi } from 'vitest';
import { installDropGuard } from './dropGuard';
import { PING_EVERY_MS, watchActivity } from './activity';
import { onLockedError, toAppError } from '../../api/errors';

function drop(target: EventTarget, kind: 'drop' | 'dragover') {
  const e = new Event(kind, { bubbles: true, cancelable: true });
  target.dispatchEvent(e);
  return e;
}

describe('drop guard', () => {
  it('cancels a file dropped anywhere outside a drop zone, so the webview never navigates', () => {
    const off = installDropGuard(window);
    try {
      expect(drop(document.body, 'drop').defaultPrevented).toBe(true);
      expect(drop(document.body, 'dragover').defaultPrevented).toBe(true);
    } finally {
      off();
    }
    // Without the guard nothing cancels it (the test is not vacuous).
    expect(drop(document.body, 'drop').defaultPrevented).toBe(false);
  });

  it('leaves a drop zone its own drop', () => {
    const off = installDropGuard(window);
    const zone = document.createElement('div');
    document.body.appendChild(zone);
    const got: Event[] = [];
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      got.push(e);
    });
    try {
      drop(zone, 'drop');
      expect(got).toHaveLength(1);
    } finally {
      off();
      zone.remove();
    }
  });
});

describe('activity ping', () => {
  it('pings on the first input and then at most every 30 seconds', () => {
    let now = 1_000_000;
    const ping = vi.fn();
    const stop = watchActivity(window, ping, () => now);
    try {
      window.dispatchEvent(new Event('keydown'));
      window.dispatchEvent(new Event('pointerdown'));
      expect(ping).toHaveBeenCalledTimes(1);
      now += PING_EVERY_MS - 1;
      window.dispatchEvent(new Event('wheel'));
      expect(ping).toHaveBeenCalledTimes(1);
      now += 1;
      window.dispatchEvent(new Event('pointermove'));
      expect(ping).toHaveBeenCalledTimes(2);
    } finally {
      stop();
    }
    now += PING_EVERY_MS;
    window.dispatchEvent(new Event('keydown'));
    expect(ping).toHaveBeenCalledTimes(2);
  });
});

describe('locked refusals', () => {
  it('bring up the lock screen whichever call was refused', () => {
    const seen = vi.fn();
    const off = onLockedError(seen);
    toAppError(JSON.stringify({ code: 'invalid', message: 'Type a name.' }));
    expect(seen).not.toHaveBeenCalled();
    const e = toAppError(JSON.stringify({ code: 'locked', message: 'PracticePost is locked.' }));
    expect(e.code).toBe('locked');
    expect(seen).toHaveBeenCalledTimes(1);
    off();
    toAppError(JSON.stringify({ code: 'locked', message: 'PracticePost is locked.' }));
    expect(seen).toHaveBeenCalledTimes(1);
  });
});
