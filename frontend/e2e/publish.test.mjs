import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, libraryPhoto, makeJPEG, startFakes } from './fakes.mjs';
import { launchBrowser, newHome, screenshot, startApp } from './harness.mjs';
import { devEnv, openEmptyChannels } from './setup.mjs';

// A small photo-like JPEG drawn in the page: a toothbrush on a tiled wall.
const toothbrushJPEG = (page) => makeJPEG(page, { from: '#e3f2f1', to: '#a9d3cf', quality: 0.85 }, (g) => {
  g.strokeStyle = 'rgba(255,255,255,0.6)';
  for (let x = 0; x < 1200; x += 100) g.strokeRect(x, 0, 100, 900);
  for (let y = 0; y < 900; y += 100) g.strokeRect(0, y, 1200, 100);
  g.fillStyle = '#0b6e6e';
  g.save();
  g.translate(600, 450);
  g.rotate(-0.35);
  g.fillRect(-380, -28, 620, 56);
  g.fillStyle = '#ffffff';
  for (let i = 0; i < 14; i++) g.fillRect(250 + i * 9, -70, 6, 48);
  g.restore();
});

test('publishing: connect Mastodon through the real browser sign-in, publish a draft with an image, wait out a 429', async () => {
  const fakes = await startFakes();
  // The dev build keeps sign-ins in memory, hands sign-in pages to the page
  // instead of opening a browser, and talks to the fake Graph API.
  devEnv({ PRACTICEPOST_FACEBOOK_GRAPH_URL: fakes.facebook });
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openEmptyChannels(browser, app);

    // Mastodon: the app registers itself on the server, then waits for the
    // browser. The test's browser follows the sign-in page; the fake server
    // approves and sends it back to PracticePost's loopback address.
    await page.getByTestId('connect-mastodon').click();
    await page.getByTestId('mastodon-instance').fill(fakes.mastodon);
    await page.getByTestId('mastodon-connect').click();
    await page.getByTestId('mastodon-waiting').waitFor();
    const authURL = await (await page.waitForFunction(() => window.__opened[0])).jsonValue();
    assert.ok(authURL.startsWith(fakes.mastodon + '/oauth/authorize?'), authURL);
    const q = new URL(authURL).searchParams;
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('redirect_uri'), /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const tab = await browser.context.newPage();
    await tab.goto(authURL);
    await tab.getByText('PracticePost is now connected to Mastodon').waitFor();
    assert.match(tab.url(), /^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    await tab.close();
    const masto = page.getByTestId('channel-mastodon');
    await masto.waitFor({ timeout: 15000 });
    assert.match(await masto.textContent(), /@smiledental@127\.0\.0\.1/);
    assert.match(await masto.textContent(), /Connected/);

    // Bluesky: an account password is refused with the way to make an app password.
    await page.getByTestId('connect-bluesky').click();
    await page.getByTestId('bluesky-handle').fill(fakes.blueskyHandle);
    await page.getByTestId('bluesky-password').fill('hunter2hunter2');
    await page.getByTestId('bluesky-server').fill(fakes.bluesky);
    await page.getByTestId('bluesky-connect').click();
    await page.getByText(/not the account's own password/).waitFor();
    await page.getByTestId('bluesky-password').fill(fakes.blueskyAppPassword);
    await page.getByTestId('bluesky-connect').click();
    await page.getByTestId('channel-bluesky').waitFor({ timeout: 15000 });

    // Facebook: the guide, then the Page token checked with debug_token.
    await page.getByTestId('connect-facebook').click();
    await page.getByTestId('facebook-guide').waitFor();
    await page.getByTestId('facebook-page').fill(fakes.facebookPageId);
    await page.getByTestId('facebook-token').fill('not-the-token');
    await page.getByTestId('facebook-connect').click();
    await page.getByTestId('facebook-error').waitFor();
    await page.getByTestId('facebook-token').fill(fakes.facebookToken);
    await page.getByTestId('facebook-connect').click();
    await page.getByTestId('channel-facebook').waitFor({ timeout: 15000 });

    // A test post on Mastodon, with its live link.
    await masto.getByRole('button', { name: 'Send a test post' }).click();
    await masto.getByTestId('channel-result').getByText('Open the post').waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, 'publish-channels');
    await masto.getByRole('button', { name: 'Delete the test post' }).click();
    await masto.getByText('The test post was deleted.').waitFor();

    // A draft with an image, for Mastodon.
    const b64 = await toothbrushJPEG(page);
    const img = await libraryPhoto(page, 'toothbrush.jpg', b64, 'stock', 'A toothbrush against a tiled bathroom wall');
    const draft = await call(page, 'DraftService', 'Create', {
      id: 0, title: 'Two minutes', body: 'Top tip: brush for two minutes, twice a day, and clean between your teeth once a day.',
      versions: {}, channels: ['mastodon'], hashtags: ['#DentalTips'], link: '', utm: true, campaign: '', pillar: 'tip',
      media: [{ mediaId: img.id, sha256: img.sha256, altText: 'A toothbrush against a tiled bathroom wall' }], testimonials: [], localTime: '', awarenessId: '',
    });
    const id = draft.draft.id;

    // The upload is slow and the first create is rate limited, resetting in 4 s.
    await fakes.control('/fault?platform=mastodon&method=POST&path=/api/v2/media&latency=2500ms&times=1');
    await fakes.control('/fault?platform=mastodon&method=POST&path=/api/v1/statuses&status=429&reset=4s&times=1');

    await page.goto(app.url + '#/publish/' + id);
    await page.getByTestId('publish-panel').getByText('Mastodon: @smiledental').waitFor();
    await page.getByTestId('publish-now').click();
    const job = page.getByTestId('job-mastodon');
    await job.getByText('Uploading image').first().waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, 'publish-progress-uploading');

    await page.locator('[data-testid="job-mastodon"][data-state="waiting"]').waitFor({ timeout: 15000 });
    assert.match(await job.getByTestId('waiting-badge').textContent(), /tries again in \d+ s/);
    assert.match(await job.getByTestId('job-message').textContent(), /limiting how often PracticePost can post/);
    let state = await fakes.control('/state', 'GET');
    assert.equal(state.mastodon.filter((s) => !s.Deleted).length, 0, 'nothing posted while limited');
    await screenshot(page, 'publish-progress-waiting');

    // After the reset the post goes out by itself and the live link shows.
    const link = job.getByTestId('live-link');
    await link.waitFor({ timeout: 30000 });
    const href = await link.getAttribute('href');
    assert.ok(href.startsWith(fakes.mastodon + '/@smiledental/'), href);
    await page.mouse.move(0, 0);
    await screenshot(page, 'publish-progress-live');

    state = await fakes.control('/state', 'GET');
    const live = state.mastodon.filter((s) => !s.Deleted);
    assert.equal(live.length, 1, 'exactly one post');
    assert.deepEqual(live[0].Alt, ['A toothbrush against a tiled bathroom wall']);
    assert.match(live[0].Text, /Top tip: brush for two minutes/);
    assert.match(live[0].Text, /#DentalTips/);
    assert.ok(href.endsWith('/' + live[0].ID));
  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
  }
});
