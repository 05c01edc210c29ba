// Counting what a user does. A walkthrough test drives the app only through
// `user` (click, type, press, draw, choose, approve), each counted into the
// current task, and proves it never called a bound Go method itself: the
// page's window.go is wrapped so every call records whether the app's own
// code made it (a frame of the app's scripts on its stack) or something
// else did (page.evaluate, fakes.mjs call()).
import { drawSignature } from './setup.mjs';

/**
 * Wraps window.go before the app's scripts run. Wails' runtime first sets
 * `window.go = {}` and then fills it, so window.go becomes an accessor whose
 * setter keeps the real object and whose getter hands out a proxy over it:
 * reading window.go.<pkg>.<struct>.<method> gives the real method wrapped in
 * a recorder. A call is the app's when a frame on its stack is one of the
 * page's own scripts (not Wails' /wails/ files); any other is direct.
 */
function instrumentBindings() {
  const own = (url) => url.startsWith(location.origin + '/') && !url.startsWith(location.origin + '/wails/');
  const stackNow = () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 100;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    return stack;
  };
  // Each frame ends "(<url>:line:col)" or "at <url>:line:col".
  const fromApp = (stack) => stack.split('\n').slice(1).some((l) => {
    const m = /(https?:\/\/[^\s)]+):\d+:\d+\)?$/.exec(l.trim());
    return !!m && own(m[1]);
  });
  const log = { app: 0, direct: [], stacks: [] };
  Object.defineProperty(window, '__ppBound', { value: log });
  // Wails' runtime writes back what it reads (window.go.x = window.go.x || {}),
  // so a proxy or wrapper handed out may come back: it is stored unwrapped,
  // or a method would be wrapped twice and a call counted twice.
  const raw = new WeakMap();
  const unwrap = (v) => (v && (typeof v === 'object' || typeof v === 'function') && raw.get(v)) || v;
  const wrapped = new WeakMap();
  const wrapFn = (name, fn) => {
    if (!wrapped.has(fn)) {
      wrapped.set(fn, function (...args) {
        const stack = stackNow();
        if (fromApp(stack)) log.app++;
        else {
          log.direct.push(name);
          log.stacks.push(stack);
        }
        return fn.apply(this, args);
      });
      raw.set(wrapped.get(fn), fn);
    }
    return wrapped.get(fn);
  };
  const proxies = new WeakMap();
  const deep = (obj, path) => {
    if (!proxies.has(obj)) {
      proxies.set(obj, new Proxy(obj, {
        get(t, k, r) {
          const v = Reflect.get(t, k, r);
          if (typeof k !== 'string') return v;
          if (typeof v === 'function') return wrapFn([...path, k].join('.'), v);
          if (v && typeof v === 'object') return deep(v, [...path, k]);
          return v;
        },
        set: (t, k, v) => Reflect.set(t, k, unwrap(v)),
      }));
      raw.set(proxies.get(obj), obj);
    }
    return proxies.get(obj);
  };
  let real;
  Object.defineProperty(window, 'go', {
    configurable: false,
    get: () => (real && typeof real === 'object' ? deep(real, []) : real),
    set: (v) => { real = unwrap(v); },
  });
  // Real pointer presses the page sees, to check each was a counted click or stroke.
  let downs = 0;
  window.addEventListener('pointerdown', (e) => { if (e.isTrusted) downs++; }, true);
  Object.defineProperty(window, '__ppPointerDowns', { get: () => downs });
}

/** Installs the recorder on every document the context opens from now on. */
export async function watchBoundCalls(context) {
  await context.addInitScript(instrumentBindings);
}

/** What the recorder saw in this page: calls by the app, and the names of direct ones. */
export function boundCalls(page) {
  return page.evaluate(() => ({ app: window.__ppBound.app, direct: [...window.__ppBound.direct], stacks: [...window.__ppBound.stacks] }));
}

/** Pointer presses the page has seen since it loaded. */
export function pointerDowns(page) {
  return page.evaluate(() => window.__ppPointerDowns);
}

const kinds = ['clicks', 'typed', 'keys'];

/**
 * A user who counts. Every method does what a person does and adds one to
 * the current task:
 *   click(locator)       one click (ticking a box, opening a menu, choosing an option: each a click);
 *   type(locator, text)  one "typed field": a field filled, however long the text (counting keystrokes
 *                        would measure the text, not the app);
 *   press(key)           one key press (Enter, Escape, Tab);
 *   draw(locator)        one signature stroke across a pad, counted as a click;
 *   choose(locator, files)  picking files in the system's file dialog, counted as a click;
 *   approve(tab, done)   "Authorize" on a platform's own sign-in page in the browser, a click outside the
 *                        app (the fakes approve without showing the button, so the click is counted here).
 * task(name) starts (or goes back to) a task's count; rows() returns them in order.
 */
export function countingUser(page) {
  const tasks = [];
  let current = null;
  let outside = 0;
  const bump = (kind) => {
    if (!current) throw new Error('user action outside a task: call task(name) first');
    current[kind]++;
  };
  const user = {
    async click(locator) {
      bump('clicks');
      await locator.click();
    },
    async type(locator, text) {
      bump('typed');
      await locator.fill(text);
    },
    async press(key) {
      bump('keys');
      await page.keyboard.press(key);
    },
    async draw(pad) {
      bump('clicks');
      await drawSignature(page, pad);
    },
    async choose(input, files) {
      bump('clicks');
      await input.setInputFiles(files);
    },
    async approve(tab, waitDone) {
      bump('clicks');
      outside++;
      await waitDone(tab);
    },
  };
  return {
    user,
    /** Starts counting into the task called name; a name used before carries on that task's count. */
    task(name) {
      current = tasks.find((t) => t.name === name);
      if (!current) {
        current = { name, clicks: 0, typed: 0, keys: 0 };
        tasks.push(current);
      }
    },
    rows: () => tasks.map((t) => ({ ...t, total: kinds.reduce((n, k) => n + t[k], 0) })),
    /** Clicks and strokes made in the app's page (not in a browser tab outside it). */
    inAppPresses: () => tasks.reduce((n, t) => n + t.clicks, 0) - outside,
  };
}

/**
 * Sums tasks into the groups that have a baseline (a group's tasks, its
 * baseline) and says which are over. Pure: rows and groups in, lines out.
 */
export function againstBaselines(rows, groups) {
  return groups.map(({ name, tasks, baseline, more }) => {
    const missing = tasks.filter((t) => !rows.some((r) => r.name === t));
    if (missing.length) throw new Error(`baseline "${name}": no task named ${missing.join(', ')}`);
    const total = rows.filter((r) => tasks.includes(r.name)).reduce((n, r) => n + r.total, 0);
    return { name, total, baseline, more, over: total > baseline + (more?.steps ?? 0) };
  });
}

/** The table printed at the end: task → clicks, typed fields, key presses, total. */
export function stepTable(rows, compared) {
  const w = Math.max(...rows.map((r) => r.name.length), ...compared.map((c) => c.name.length), 'total'.length);
  const line = (a, b, c, d, e) => `${a.padEnd(w)}  ${String(b).padStart(6)}  ${String(c).padStart(5)}  ${String(d).padStart(4)}  ${String(e).padStart(5)}`;
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  return [
    line('task', 'clicks', 'typed', 'keys', 'total'),
    ...rows.map((r) => line(r.name, r.clicks, r.typed, r.keys, r.total)),
    line('all tasks', sum('clicks'), sum('typed'), sum('keys'), sum('total')),
    '',
    ...compared.map((c) => `${c.name}: ${c.total} steps (before: ${c.baseline}${c.more ? `; +${c.more.steps} allowed: ${c.more.why}` : ''})${c.over ? '  OVER' : ''}`),
    '(typed = fields filled, one each however long the text; a signature stroke, a file chosen and "Authorize" in the browser count as clicks)',
  ].join('\n');
}
