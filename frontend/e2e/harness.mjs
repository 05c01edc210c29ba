// End-to-end harness: runs the real PracticePost backend (the dev-tag
// binary serving frontend/dist) under a virtual display, and drives the same
// UI in Debian's Chromium with playwright-core. Each test gets a fresh data
// folder, so tests never see each other's data.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
    },
  };
}

/** Launches Debian's Chromium with a fresh profile. */
export async function launchBrowser() {
  const userData = mkdtempSync(join(tmpdir(), 'pp-chromium-'));
  const context = await chromium.launchPersistentContext(userData, {
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
  await page.getByText('PracticePost', { exact: true }).first().waitFor();
  return page;
}

/** Saves a full-page screenshot; fails the test if the page threw errors. */
export async function screenshot(page, name) {
  if (page.appErrors?.length) throw new Error(`the page threw: ${page.appErrors.join('; ')}`);
  mkdirSync(artifacts, { recursive: true });
  const file = join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
