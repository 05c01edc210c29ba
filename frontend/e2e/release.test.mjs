import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';

/** A release feed on loopback signed the way app/update checks it. */
async function startFeed(version) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const release = Buffer.from(JSON.stringify({
    version, notes: 'Replies to Google reviews from the Inbox.', page: 'https://practicepost.app/releases/' + version,
    installer: 'https://practicepost.app/dl/PracticePost-amd64-installer.exe', sha256: 'ab'.repeat(32),
  }));
  // The signature covers the release's exact bytes: they go out as signed.
  const body = `{"release":${release},"signature":"${sign(null, release, privateKey).toString('base64')}"}`;
  let hits = 0;
  const srv = createServer((req, res) => { hits++; res.setHeader('content-type', 'application/json'); res.end(body); });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    url: `http://127.0.0.1:${srv.address().port}/feed.json`,
    key: Buffer.from(jwk.x, 'base64url').toString('base64'),
    hits: () => hits,
    close: () => srv.close(),
  };
}

async function both(page, name) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 1024, height: 700 });
  await screenshot(page, `${name}-1024`);
}

// A copy built without client ids says on Channels and Mailbox which
// sign-ins it lacks; Settings → Updates finds the newer version on a local
// signed feed; Settings → Running in the background adds the login entry.
test('release build: missing sign-ins said, update found, start at login', async () => {
  const feed = await startFeed('1.3.0');
  const xdg = mkdtempSync(join(tmpdir(), 'pp-xdg-'));
  Object.assign(process.env, {
    PRACTICEPOST_UPDATE_FEED_URL: feed.url, PRACTICEPOST_UPDATE_PUBLIC_KEY: feed.key, PRACTICEPOST_VERSION: '1.2.0',
    XDG_CONFIG_HOME: xdg,
  });
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'channels');
    const note = page.getByTestId('channels-missing-signins');
    await note.waitFor();
    const text = await note.innerText();
    for (const want of ['X', 'Google Business Profile', 'LinkedIn (browser sign-in)', 'pasted access token']) {
      assert.ok(text.includes(want), `Channels notice lacks ${want}: ${text}`);
    }
    assert.ok(!text.includes('Gmail'), 'Channels names a mailbox sign-in');
    assert.equal(await page.getByTestId('connect-x').isDisabled(), true);
    assert.equal(await page.getByTestId('connect-google').isDisabled(), true);
    assert.equal(await page.getByTestId('connect-linkedin').isDisabled(), false, 'LinkedIn still takes a token');
    await page.getByTestId('connect-x-why').waitFor();
    await note.scrollIntoViewIfNeeded();
    await both(page, 'release-channels');

    await page.goto(app.url + '#/settings/mailbox');
    const mb = page.getByTestId('mailbox-missing-signins');
    await mb.waitFor();
    const mbText = await mb.innerText();
    assert.ok(mbText.includes('Microsoft 365') && mbText.includes('Gmail or Google Workspace') && mbText.includes('app password'), mbText);
    await mb.scrollIntoViewIfNeeded();
    await both(page, 'release-mailbox');

    await page.goto(app.url + '#/settings/updates');
    const avail = page.getByTestId('update-available');
    await avail.waitFor();
    assert.match(await avail.innerText(), /Version 1\.3\.0 is available[\s\S]*Replies to Google reviews/);
    assert.equal(await page.getByTestId('about-version').innerText(), '1.2.0');
    assert.equal(feed.hits(), 1);
    await page.getByTestId('update-check').click();
    for (let i = 0; feed.hits() < 2; i++) {
      assert.ok(i < 100, 'Check now did not fetch the feed');
      await new Promise((r) => setTimeout(r, 100));
    }
    await both(page, 'release-updates');

    // Offline: Check now says so; the last result stays on screen.
    feed.close();
    await page.getByTestId('update-check').click();
    await page.getByTestId('update-message').waitFor();
    assert.match(await page.getByTestId('update-message').innerText(), /could not reach the update server/);
    await page.getByTestId('update-available').waitFor();

    await page.goto(app.url + '#/settings/background');
    await page.getByTestId('background-panel').waitFor();
    const entry = join(xdg, 'autostart', 'practicepost.desktop');
    assert.equal(existsSync(entry), false);
    await page.getByTestId('start-at-login').click({ force: true });
    await page.waitForFunction(() => document.querySelector('[data-testid="start-at-login"]')?.checked === true);
    assert.match(readFileSync(entry, 'utf8'), /^Exec=".*practicepost-dev" --at-login$/m);
    await page.getByTestId('close-quit').click({ force: true });
    await page.waitForFunction(() => document.querySelector('[data-testid="close-quit"]')?.checked === true);
    await both(page, 'release-background');
    await page.getByTestId('start-at-login').click({ force: true });
    await page.waitForFunction(() => document.querySelector('[data-testid="start-at-login"]')?.checked === false);
    assert.equal(existsSync(entry), false, 'turning it off left the login entry');
  } finally {
    await browser.close();
    await app.stop();
    feed.close();
  }
});
