// End-to-end harness: runs the real PracticePost backend (the dev-tag
// binary serving frontend/dist) under a virtual display, and drives the same
// UI in Debian's Chromium with playwright-core. Each test gets a fresh data
// folder, so tests never see each other's data.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const artifacts = join(here, 'artifacts');
const binary = join(root, 'build', 'bin', 'practicepost-dev');

let xvfb = null;

/**
 * Makes sure a display exists: the app opens a real window. `make test-e2e`
 * runs under xvfb-run, which sets DISPLAY. Run by hand without one, this
 * starts a private Xvfb on a free display number (never a fixed :99, whose
 * socket may be stale or another run's) and stops it when the tests end.
 */
export async function ensureDisplay() {
  if (process.env.DISPLAY) return process.env.DISPLAY;
  if (!xvfb) {
    xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let err = '';
    xvfb.stderr.on('data', (d) => (err += d));
    const number = await new Promise((res, rej) => {
      let out = '';
      const t = setTimeout(() => rej(new Error(`Xvfb did not start within 10 s:\n${err}`)), 10000);
      xvfb.stdio[3].on('data', (d) => {
        out += d;
        if (out.includes('\n')) {
          clearTimeout(t);
          res(out.trim());
        }
      });
      xvfb.once('error', (e) => rej(new Error(`Xvfb could not run (${e.message}): install the xvfb package`)));
      xvfb.once('exit', (code) => rej(new Error(`Xvfb exited (${code}):\n${err}`)));
    });
    xvfb.unref();
    for (const s of [xvfb.stdio[2], xvfb.stdio[3]]) s.unref?.();
    process.once('exit', () => xvfb.kill());
    process.env.DISPLAY = `:${number}`;
  }
  return process.env.DISPLAY;
}

/** A free local TCP port, for a server the test or the app starts. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

// What no log of the app may hold (house rule: no patient data, token or
// message body in logs), nor its data file as written (patient data is
// sealed there; tokens live in the keychain). Every test's app is held to
// both when it stops: the patients the tests create, and each token or
// password a test hands the app (the fakes and the mail server register
// theirs with neverLogged).
const fixturePatients = [
  'Ada Quinn', 'Margaret Ellison', 'Margaret Okafor', 'Maud Finch', 'Cy Noor', 'Bea Moss', 'Keziah Pendragon', 'Tom Reyes',
  'ada@example.com', 'm.ellison@example.com', 'margaret@example.com', 'maud@example.com', 'keziah@example.com', 'tom.reyes@example.com',
  '1968-03-14', '1951-04-09', '1961-04-02', '1962-02-03', '1971-02-03', '1988-10-30',
];
const unloggable = new Set(fixturePatients);

/** Adds values (tokens, passwords, message words) that the app must never write to its log. */
export function neverLogged(...values) {
  // Short values could match by chance; every secret the tests use is longer.
  for (const v of values) if (typeof v === 'string' && v.length >= 8) unloggable.add(v);
}

/** The unloggable values found in text. */
export function logLeaks(text) {
  return [...unloggable].filter((v) => text.includes(v));
}

/** A data folder's data file (store.FileName). */
export const dataFile = (home) => join(home, 'practicepost.db');

/**
 * The unloggable values readable in a data folder's data file or its WAL.
 * Patient data there is sealed and tokens live in the keychain, so none of
 * them may stand in the file as written (docs/sealing.md).
 */
export function dataFileLeaks(home) {
  const bytes = [dataFile(home), dataFile(home) + '-wal'].filter(existsSync).map((f) => readFileSync(f));
  return [...unloggable].filter((v) => bytes.some((b) => b.includes(v)));
}

/** Everything the app logged on a data folder: its log files, rotated ones too. */
function logFiles(home) {
  const dir = join(home, 'logs');
  if (!existsSync(dir)) return '';
  return readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
}

export function newHome() {
  return mkdtempSync(join(tmpdir(), 'pp-e2e-'));
}

/** Starts the app on a data folder and waits until it serves the UI. */
export async function startApp(home) {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run "make test-e2e", which builds it`);
  await ensureDisplay();
  const port = await freePort();
  const proc = spawn(binary, ['-assetdir', join(root, 'frontend', 'dist'), '-devserver', `127.0.0.1:${port}`], {
    // The test machines have no keychain service: unless a test asks for
    // "memory", secrets (the activity log's key among them) go to the dev
    // build's private file in the data folder, which survives a restart.
    env: { PRACTICEPOST_SECRETS: 'file', ...process.env, PRACTICEPOST_HOME: home, PRACTICEPOST_LOG_STDERR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  const until = Date.now() + 60000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      const hint = /gtk init failed|cannot open display/i.test(log) ? ` (no usable display at DISPLAY=${process.env.DISPLAY})` : '';
      throw new Error(`app exited early (${proc.exitCode ?? proc.signalCode})${hint}:\n${log}`);
    }
    try {
      const r = await fetch(url);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      proc.kill('SIGKILL');
      throw new Error(`app did not serve ${url} within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    home,
    log: () => log,
    /** Quits the app the way a closed window does (SIGTERM), or kills it. */
    async stop(signal = 'SIGTERM') {
      // A process that died of a signal has signalCode set and exitCode null.
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
      await done;
      clearTimeout(t);
      const leaks = logLeaks(log + '\n' + logFiles(home));
      if (leaks.length) throw new Error(`the app's log holds what it must never log: ${leaks.join(', ')}`);
      const stored = dataFileLeaks(home);
      if (stored.length) throw new Error(`the data file holds, readable, what must be sealed or kept in the keychain: ${stored.join(', ')}`);
    },
  };
}

/** Launches Debian's Chromium with a fresh profile. */
export function launchBrowser() {
  return launch({});
}

/**
 * Launches Chromium as a computer set to another language, e.g. 'en-US'
 * (month-first dates), whatever this machine's own is: navigator.language,
 * Intl and native date fields all follow it.
 */
export function launchBrowserInLocale(locale) {
  return launch({ locale });
}

async function launch(extra) {
  const userData = mkdtempSync(join(tmpdir(), 'pp-chromium-'));
  const context = await chromium.launchPersistentContext(userData, {
    ...extra,
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userData, { recursive: true, force: true });
    },
  };
}

/** Opens the app's UI and waits for the first screen. */
export async function openPage(browser, app, route = '') {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.appErrors = [];
  page.on('pageerror', (e) => {
    // Wails' dev-mode browser shim throws once on load, outside our code.
    if (String(e.stack).includes('/wails/ipc.js')) return;
    console.error('page error:', e.stack);
    page.appErrors.push(e.message);
  });
  await page.goto(app.url + (route ? '#/' + route : ''));
  // A fresh data file's first screen (keys made, migrations run) can take
  // more than the usual 30 s on a busy two-core machine: seen when a test
  // starts a second app on a new computer's folder.
  await page.getByText('PracticePost', { exact: true }).first().waitFor({ timeout: 60000 });
  return page;
}

/**
 * Saves a full-page screenshot; fails the test if the page threw errors or
 * axe-core finds a moderate, serious or critical accessibility violation. Every test
 * photographs each page and dialog it reaches, so hooking the scan here runs
 * it across the whole suite without each test remembering to.
 */
export async function screenshot(page, name) {
  if (page.appErrors?.length) throw new Error(`the page threw: ${page.appErrors.join('; ')}`);
  await checkA11y(page, name);
  mkdirSync(artifacts, { recursive: true });
  const file = join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Saves the page at the two sizes every screen is looked at (1280×800 and 1024×700), as name-1280 and name-1024, then sets 1280×900 back.
 * With inView, that element is scrolled to the middle at each size, so what the picture is for is in it.
 */
export async function shots(page, name, inView) {
  for (const [w, h] of [[1280, 800], [1024, 700]]) {
    await page.setViewportSize({ width: w, height: h });
    if (inView) await inView.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await screenshot(page, `${name}-${w}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

// axe-core's own build, read once. It goes in through page.evaluate (the
// DevTools protocol), not a <script> tag, so the app's Content-Security-Policy
// (script-src 'self') stays on exactly as the user has it.
let axeSource = null;

/** Pages and dialogs scanned so far in this test file, printed when it ends. */
export const scanned = [];
let printScanned = false;

/**
 * Runs axe-core with its default rules on the whole document (nothing
 * disabled or excluded) and throws on any moderate, serious or critical
 * violation, naming each rule, its help text and the elements it found.
 * Moderate counts too: one h1 per page, headings in order and content inside
 * landmarks are what a screen-reader user finds their way by. Minor
 * findings are printed, not failed. `name` says which page or dialog this
 * is; the route and any open dialog's title are added to the printed list.
 */
export async function checkA11y(page, name) {
  axeSource ??= readFileSync(join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  const t0 = Date.now();
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  // A menu or dialog still fading in, or a button changing colour as it is
  // enabled, reads as faint text: let the finite animations end (a
  // spinner's never does), for at most 3 s (1 s was too short on a busy
  // machine: a button caught white on its disabled grey).
  // Two frames first: a menu or dialog told to close a moment ago starts its
  // fade on the next frame, and until then nothing is running to wait for.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity), null, { timeout: 3000 }).catch(() => undefined);
  const { where, violations } = await page.evaluate(async () => {
    const dialogs = [...document.querySelectorAll('[role=dialog],[role=alertdialog]')]
      .map((d) => {
        const id = d.getAttribute('aria-labelledby');
        return (id && document.getElementById(id)?.textContent?.trim()) || d.getAttribute('aria-label') || 'untitled dialog';
      });
    // resultTypes only trims the passes' details from the result (faster); every rule still runs.
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return {
      where: (window.location.hash || '#/') + (dialogs.length ? ` + dialog "${dialogs.join('", "')}"` : ''),
      violations: r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)})` : ''}`),
        count: v.nodes.length,
      })),
    };
  });
  const bad = violations.filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical');
  const minor = violations.filter((v) => !bad.includes(v));
  scanned.push(`${name}: ${where}`);
  console.log(`axe: ${name} at ${where} (${Date.now() - t0} ms): ${bad.length} moderate or worse${minor.length ? `, minor: ${minor.map((v) => `${v.id} (${v.impact}, ${v.count})`).join(', ')}` : ''}`);
  if (!printScanned) {
    printScanned = true;
    process.once('exit', () => console.log(`axe scanned ${scanned.length} pages and dialogs:\n  ${scanned.join('\n  ')}`));
  }
  if (bad.length) {
    const text = bad.map((v) => `${v.id} [${v.impact}] ${v.help}: ${v.count} element(s)\n    ${v.nodes.join('\n    ')}`).join('\n  ');
    throw new Error(`axe-core: moderate, serious or critical accessibility violations on ${name} (${where}):\n  ${text}`);
  }
}
