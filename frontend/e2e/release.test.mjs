import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { call, connectMastodon, startFakes } from './fakes.mjs';

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

    // About → Licences: the libraries this copy is built from, each with
    // its licence's text, found by name.
    await page.getByTestId('about-licences').click();
    const dialog = page.getByTestId('licences-dialog');
    const count = page.getByTestId('licences-count');
    await count.waitFor();
    const total = Number((await count.innerText()).match(/^(\d+) libraries$/)[1]);
    assert.ok(total > 100, `only ${total} libraries listed`);
    await page.getByTestId('licences-filter').fill('modernc.org/sqlite');
    assert.match(await count.innerText(), new RegExp(`^1 of ${total} libraries$`));
    await page.getByRole('button', { name: /modernc\.org\/sqlite/ }).click();
    await page.getByText('Redistribution and use in source and binary forms').first().waitFor();
    await both(page, 'release-licences');
    await page.getByTestId('licences-close').click();
    await dialog.waitFor({ state: 'hidden' });

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

// Once a post is scheduled, the sidebar's waiting-posts note offers to start
// PracticePost at sign-in, in one sentence; accepting writes the login entry.
test('start at login is offered once a post waits', async () => {
  const fakes = await startFakes();
  const xdg = mkdtempSync(join(tmpdir(), 'pp-xdg-'));
  Object.assign(process.env, { PRACTICEPOST_SECRETS: 'memory', PRACTICEPOST_E2E: '1', XDG_CONFIG_HOME: xdg });
  delete process.env.PRACTICEPOST_CLOCK_OFFSET;
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'channels');
    await call(page, 'CalendarService', 'SaveSettings', 'Europe/London', ['dental']);
    await page.getByTestId('no-channels').waitFor();
    assert.equal(await page.getByTestId('start-at-login-offer').count(), 0, 'offered before anything is scheduled');
    await connectMastodon(page, browser, fakes);
    const v = await call(page, 'DraftService', 'Create', {
      id: 0, title: 'Flu jabs', body: 'Flu jabs this Saturday from 9 to 12. No appointment needed.', versions: {}, channels: ['mastodon'],
      hashtags: [], link: '', utm: false, campaign: '', pillar: 'news', media: [], testimonials: [], localTime: '', awarenessId: '',
    });
    const at = new Date(Date.now() + 40 * 60000);
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(at).map((p) => [p.type, p.value]));
    await page.goto(app.url + '#/publish/' + v.draft.id);
    const panel = page.getByTestId('publish-panel');
    await panel.getByText(/^Mastodon:/).waitFor();
    await panel.getByLabel('Day').fill(`${parts.year}-${parts.month}-${parts.day}`);
    await panel.getByLabel(/^Time/).fill(`${parts.hour}:${parts.minute}`);
    await page.getByTestId('publish-schedule').click();
    await page.locator('[data-testid="job-mastodon"][data-state="queued"]').waitFor({ timeout: 15000 });

    await page.goto(app.url + '#/');
    await page.reload();
    const offer = page.getByTestId('start-at-login-offer');
    await offer.waitFor();
    assert.match(await offer.innerText(), /So posts still go out after a restart: start at sign-in/);
    await both(page, 'release-start-at-login-offer');
    await page.getByTestId('start-at-login-yes').click();
    await offer.waitFor({ state: 'detached' });
    assert.match(readFileSync(join(xdg, 'autostart', 'practicepost.desktop'), 'utf8'), /--at-login/);
  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
  }
});
