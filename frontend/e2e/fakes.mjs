// What the publishing tests share: the fake platforms (cmd/fakeplatforms),
// the bridge to the bound Go services, a photo-like JPEG drawn in the page,
// and the connect steps that are the same wherever they appear.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { neverLogged, root } from './harness.mjs';

/** Calls a bound Go method the way the UI does (Wails' window.go bridge). */
export const call = (page, svc, method, ...args) =>
  page.evaluate(([s, m, a]) => window.go.service[s][m](...a), [svc, method, args]);

const fakesBinary = join(root, 'build', 'bin', 'fakeplatforms');

/**
 * Starts every fake platform, the fake bucket and the fake sign-in servers
 * (cmd/fakeplatforms, built first if missing). Resolves to the addresses and
 * credentials it prints on its first line, plus control(path, method) for its
 * control endpoint and stop().
 */
export async function startFakes() {
  if (!existsSync(fakesBinary)) {
    execFileSync('go', ['build', '-tags', 'fakes', '-o', fakesBinary, './cmd/fakeplatforms'], { cwd: root, stdio: 'inherit' });
  }
  const proc = spawn(fakesBinary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const info = await new Promise((res, rej) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) res(JSON.parse(out.slice(0, nl)));
    });
    proc.once('exit', (code) => rej(new Error(`fakeplatforms exited (${code})`)));
  });
  // Every token, secret and password the fakes hand out is one the app must not log.
  neverLogged(...Object.entries(info).filter(([k]) => /token|secret|password/i.test(k)).map(([, v]) => v));
  const control = (path, method = 'POST') => fetch(info.control + path, { method }).then((r) => {
    if (!r.ok) throw new Error(`control ${path}: ${r.status}`);
    return r.status === 204 ? null : r.json();
  });
  return { ...info, control, stop: () => proc.kill('SIGTERM') };
}

/**
 * Draws a 1200×900 JPEG in the page: a diagonal gradient from one colour to
 * another, then paint(g) on top, encoded at the given quality. Returns its
 * base64. paint runs in the page, so it may use only its 2D context argument.
 */
export function makeJPEG(page, { from, to, quality }, paint) {
  const draw = ([from, to, quality], paint) => {
    const c = document.createElement('canvas');
    c.width = 1200;
    c.height = 900;
    const g = c.getContext('2d');
    const bg = g.createLinearGradient(0, 0, 1200, 900);
    bg.addColorStop(0, from);
    bg.addColorStop(1, to);
    g.fillStyle = bg;
    g.fillRect(0, 0, 1200, 900);
    paint(g);
    return c.toDataURL('image/jpeg', quality).split(',')[1];
  };
  // A function cannot be passed as an evaluate argument, so both travel as source.
  return page.evaluate(`(${draw})(${JSON.stringify([from, to, quality])}, ${paint})`);
}

/** Collects the addresses the app asks the system browser to open, in window.__opened. */
export function watchOpenedURLs(page) {
  return page.evaluate(() => {
    window.__opened = [];
    window.runtime.EventsOn('dev:open-url', (u) => window.__opened.push(u));
  });
}

/** Connects the fake Facebook Page with its right token, from the Channels screen. */
export async function connectFacebook(page, fakes) {
  await page.getByTestId('connect-facebook').click();
  await page.getByTestId('facebook-page').fill(fakes.facebookPageId);
  await page.getByTestId('facebook-token').fill(fakes.facebookToken);
  await page.getByTestId('facebook-connect').click();
  await page.getByTestId('channel-facebook').waitFor({ timeout: 15000 });
}

/** Opens Settings → Media hosting and fills in the fake MinIO bucket, all but the secret. */
export async function fillBucket(page, app, fakes) {
  await page.goto(app.url + '#/settings/hosting');
  await page.getByTestId('hosting-panel').waitFor();
  await page.getByTestId('hosting-provider').click();
  await page.getByRole('option', { name: 'MinIO' }).click();
  await page.getByTestId('hosting-endpoint').fill(fakes.bucket);
  await page.getByTestId('hosting-bucket').fill(fakes.bucketName);
  await page.getByTestId('hosting-access-key').fill(fakes.bucketAccessKey);
}

/** Signs in to the fake Mastodon through the real loopback flow, the test's browser playing the user. */
export async function connectMastodon(page, browser, fakes, reconnect = false) {
  await watchOpenedURLs(page);
  if (reconnect) {
    await page.getByTestId('channel-mastodon').getByRole('button', { name: 'Reconnect' }).click();
  } else {
    await page.getByTestId('connect-mastodon').click();
    await page.getByTestId('mastodon-instance').fill(fakes.mastodon);
  }
  await page.getByTestId('mastodon-connect').click();
  const authURL = await (await page.waitForFunction(() => window.__opened[0])).jsonValue();
  const tab = await browser.context.newPage();
  await tab.goto(authURL);
  await tab.getByText('PracticePost is now connected to Mastodon').waitFor();
  await tab.close();
  await page.locator('[data-testid="channel-mastodon"]', { hasText: 'Connected' }).waitFor({ timeout: 15000 });
}

/**
 * Puts a photo in the Studio library as the manager does: opened in the
 * Studio with what it shows declared (team, premises, stock, illustration),
 * placed in a captioned design, rendered and kept with its alt text.
 * Returns the square size's library item.
 */
export async function libraryPhoto(page, fileName, b64, declared, altText, caption = 'Harbour Dental') {
  const photo = await call(page, 'StudioService', 'UploadPhoto', fileName, b64, declared);
  const r = await call(page, 'StudioService', 'Render', {
    template: 'caption', layout: 'band', fields: { caption }, attribution: null, background: {},
    photos: { main: { photoId: photo.id, focus: { x: 0.5, y: 0.5 }, redactions: [] } }, testimonialId: 0, wordsOf: '',
  });
  const lib = await call(page, 'StudioService', 'Keep', r.id, altText, true);
  const item = lib.items.find((m) => m.sizeId === 'square' && m.setId === lib.items[0].setId);
  if (!item) throw new Error('the square size is not in the library');
  return item;
}
