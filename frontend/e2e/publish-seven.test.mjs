import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, libraryPhoto, connectFacebook, fillBucket, makeJPEG, startFakes } from './fakes.mjs';
import { freePort, launchBrowser, newHome, screenshot, startApp } from './harness.mjs';
import { devEnv, openEmptyChannels } from './setup.mjs';

// A photo-like 4:3 JPEG drawn in the page: fits every platform, Instagram's shape included.
const chairsJPEG = (page) => makeJPEG(page, { from: '#fdf2e9', to: '#f5cba7', quality: 0.9 }, (g) => {
  for (let i = 0; i < 400; i++) {
    g.fillStyle = `rgba(${(i * 37) % 255},${(i * 91) % 255},${(i * 53) % 255},0.25)`;
    g.beginPath();
    g.arc((i * 131) % 1200, (i * 71) % 900, 8 + (i % 30), 0, Math.PI * 2);
    g.fill();
  }
  g.fillStyle = '#1f618d';
  g.fillRect(300, 380, 600, 140);
  g.fillStyle = '#ffffff';
  g.font = 'bold 64px sans-serif';
  g.fillText('New chairs', 420, 472);
});

/** Follows the newest sign-in page the app asked to open, as the system browser would. */
async function followSignIn(page, browser, index, provider, startsWith) {
  const authURL = await (await page.waitForFunction((i) => window.__opened[i], index, { timeout: 15000 })).jsonValue();
  assert.ok(authURL.startsWith(startsWith), authURL);
  const q = new URL(authURL).searchParams;
  assert.equal(q.get('code_challenge_method'), 'S256', `${provider} sign-in uses PKCE`);
  const tab = await browser.context.newPage();
  await tab.goto(authURL);
  await tab.getByText(`PracticePost is now connected to ${provider}`).waitFor();
  await tab.close();
  return q;
}

test('publishing to all seven: connect every channel, a bucket, one draft with an image to all seven; LinkedIn refusing does not stop the others', async () => {
  const fakes = await startFakes();
  const xPort = await freePort();
  devEnv({
    PRACTICEPOST_FACEBOOK_GRAPH_URL: fakes.facebook,
    PRACTICEPOST_INSTAGRAM_GRAPH_URL: fakes.instagram,
    PRACTICEPOST_LINKEDIN_URL: fakes.linkedin,
    PRACTICEPOST_LINKEDIN_OAUTH: fakes.linkedinOAuth,
    PRACTICEPOST_GOOGLE_URL: fakes.google,
    PRACTICEPOST_GOOGLE_OAUTH: fakes.googleOAuth,
    PRACTICEPOST_X_URL: fakes.x,
    PRACTICEPOST_X_OAUTH: fakes.xOAuth,
    PRACTICEPOST_X_PORT: String(xPort),
    PRACTICEPOST_OAUTH_CLIENT_ID: fakes.oauthClientId,
  });
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openEmptyChannels(browser, app);

    // Part 1's three, as before.
    await page.getByTestId('connect-mastodon').click();
    await page.getByTestId('mastodon-instance').fill(fakes.mastodon);
    await page.getByTestId('mastodon-connect').click();
    await followSignIn(page, browser, 0, 'Mastodon', fakes.mastodon + '/oauth/authorize?');
    await page.getByTestId('channel-mastodon').waitFor({ timeout: 15000 });
    await page.getByTestId('connect-bluesky').click();
    await page.getByTestId('bluesky-handle').fill(fakes.blueskyHandle);
    await page.getByTestId('bluesky-password').fill(fakes.blueskyAppPassword);
    await page.getByTestId('bluesky-server').fill(fakes.bluesky);
    await page.getByTestId('bluesky-connect').click();
    await page.getByTestId('channel-bluesky').waitFor({ timeout: 15000 });
    await connectFacebook(page, fakes);

    // Instagram: the guide (no bucket needed with the Page permissions), a wrong token refused, then the Page token.
    await page.getByTestId('connect-instagram').click();
    await page.getByTestId('instagram-guide').waitFor();
    assert.match(await page.getByTestId('instagram-page-route-note').textContent(), /No storage bucket needed.*pages_manage_posts/);
    await page.getByTestId('instagram-page').fill(fakes.instagramPageId);
    await page.getByTestId('instagram-token').fill('not-the-token');
    await page.getByTestId('instagram-connect').click();
    await page.getByTestId('instagram-error').waitFor();
    await page.getByTestId('instagram-token').fill(fakes.instagramToken);
    await page.getByTestId('instagram-connect').click();
    const ig = page.getByTestId('channel-instagram');
    await ig.waitFor({ timeout: 15000 });
    assert.match(await ig.textContent(), /@smiledental/);
    // This token lacks pages_manage_posts and there is no bucket yet: the card says both ways out.
    assert.equal(await ig.getByTestId('instagram-image-route').getAttribute('data-route'), '');
    assert.match(await ig.getByTestId('instagram-image-note').textContent(), /pages_manage_posts.*Settings → Media hosting/);

    // LinkedIn: the browser sign-in (native PKCE), 60 days shown.
    await page.getByTestId('connect-linkedin').click();
    await page.getByTestId('linkedin-org').fill(`https://www.linkedin.com/company/${fakes.linkedinOrg}/admin/`);
    await page.getByTestId('linkedin-signin').click();
    await page.getByTestId('linkedin-waiting').waitFor();
    await followSignIn(page, browser, 1, 'LinkedIn', fakes.linkedinOAuth + '/authorize?');
    const li = page.getByTestId('channel-linkedin');
    await li.waitFor({ timeout: 15000 });
    assert.match(await li.textContent(), /Expires in (59|60) days/);

    // Google: sign in, offline access, then pick one of the two locations.
    await page.getByTestId('connect-google').click();
    await page.getByTestId('google-signin').click();
    const gq = await followSignIn(page, browser, 2, 'Google', fakes.googleOAuth + '/authorize?');
    assert.equal(gq.get('access_type'), 'offline');
    await page.getByTestId('google-locations').waitFor({ timeout: 15000 });
    assert.match(await page.getByTestId('google-locations').textContent(), /Smile Dental Clifton/);
    await page.getByTestId('google-location-9988776655').click();
    await page.getByTestId('google-choose').click();
    await page.getByTestId('channel-google').waitFor({ timeout: 15000 });

    // X: the registered loopback port.
    await page.getByTestId('connect-x').click();
    await page.getByTestId('x-signin').click();
    const xq = await followSignIn(page, browser, 3, 'X', fakes.xOAuth + '/authorize?');
    assert.equal(xq.get('redirect_uri'), `http://127.0.0.1:${xPort}/callback`);
    await page.getByTestId('channel-x').waitFor({ timeout: 15000 });
    assert.equal(await page.getByTestId('channel-list').locator(':scope > *').count(), 7);
    for (const p of ['mastodon', 'bluesky', 'facebook', 'instagram', 'linkedin', 'google', 'x']) {
      assert.match(await page.getByTestId(`channel-${p}`).getByTestId('channel-message').textContent(), /Ready to post|Connected/, p);
    }
    await page.mouse.move(0, 0);
    await screenshot(page, 'publish-seven-channels');

    // Settings → Media hosting: a wrong secret is refused; the right one works, with honest warnings.
    await fillBucket(page, app, fakes);
    await page.getByTestId('hosting-secret').fill('wrong-secret');
    await page.getByTestId('hosting-test').click();
    await page.getByTestId('hosting-error').getByText(/refused PracticePost's keys/).waitFor({ timeout: 15000 });
    await page.getByTestId('hosting-secret').fill(fakes.bucketSecretKey);
    await page.getByTestId('hosting-save').click();
    await page.getByTestId('hosting-warnings').waitFor({ timeout: 15000 });
    assert.match(await page.getByTestId('hosting-warnings').textContent(), /not https/);
    await page.getByTestId('hosting-state').getByText(/Connected/).waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, 'publish-seven-hosting');
    // With the bucket Instagram's images go through it; the Page route stays closed without its permission.
    const igView = (await call(page, 'ChannelService', 'List')).find((c) => c.platform === 'instagram');
    assert.equal(igView.images.route, 'bucket');
    assert.match(igView.images.note, /pages_manage_posts/);

    // One draft with an image, for all seven.
    const b64 = await chairsJPEG(page);
    const img = await libraryPhoto(page, 'chairs.jpg', b64, 'premises', 'Two blue treatment chairs in a bright surgery');
    const draft = await call(page, 'DraftService', 'Create', {
      id: 0, title: 'New chairs', body: 'Our new treatment chairs have arrived: more comfortable, and they recline further.',
      versions: {}, channels: ['facebook', 'mastodon', 'bluesky', 'instagram', 'linkedin', 'google_business', 'x'], hashtags: ['#SmileDental'],
      link: '', utm: true, campaign: '', pillar: 'news',
      media: [{ mediaId: img.id, sha256: img.sha256, altText: 'Two blue treatment chairs in a bright surgery' }], testimonials: [], localTime: '', awarenessId: '',
    });
    const id = draft.draft.id;

    // LinkedIn refuses the post itself (the member lost the page role); the others must not wait for it.
    await fakes.control('/fault?platform=linkedin&method=POST&path=/rest/posts&status=403&times=20');

    await page.goto(app.url + '#/publish/' + id);
    const panel = page.getByTestId('publish-panel');
    await panel.getByText('Google Business Profile: ').waitFor();
    for (const p of ['facebook', 'mastodon', 'bluesky', 'instagram', 'linkedin', 'google', 'x']) {
      assert.equal(await page.getByTestId(`pick-${p}`).isChecked(), true, `${p} ticked`);
    }
    assert.equal(await page.getByTestId('instagram-needs').count(), 0, 'with a bucket Instagram needs nothing more');
    // Google only: an event with its dates.
    await page.getByTestId('google-type').getByText('Event').click();
    await page.getByTestId('google-title').fill('Open morning: try the new chairs');
    await page.getByTestId('google-start-date').fill('2030-05-04');
    await page.getByTestId('google-end-date').fill('2030-05-04');
    await page.getByTestId('google-start-clock').fill('09:00');
    await page.getByTestId('google-end-clock').fill('12:00');
    await page.getByTestId('publish-now').click();

    const done = ['facebook', 'mastodon', 'bluesky', 'instagram', 'google', 'x'];
    for (const p of done) {
      await page.getByTestId(`job-${p}`).getByTestId('live-link').waitFor({ timeout: 60000 });
    }
    const liJob = page.locator('[data-testid="job-linkedin"][data-state="failed"]');
    await liJob.waitFor({ timeout: 30000 });
    assert.match(await liJob.getByTestId('job-message').textContent(), /LinkedIn/);
    await page.mouse.move(0, 0);
    await page.getByTestId('publish-progress').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(400);
    await screenshot(page, 'publish-seven-progress');

    const links = {};
    for (const p of done) links[p] = await page.getByTestId(`job-${p}`).getByTestId('live-link').getAttribute('href');
    assert.match(links.instagram, /^https:\/\/www\.instagram\.com\/p\//);
    assert.match(links.x, /\/status\/\d+$/);
    assert.ok(links.mastodon.startsWith(fakes.mastodon + '/@smiledental/'), links.mastodon);

    const state = await fakes.control('/state', 'GET');
    assert.equal(state.instagram.length, 1, 'exactly one Instagram post');
    assert.equal(state.instagram[0].AltText, 'Two blue treatment chairs in a bright surgery');
    assert.equal(state.google.filter((g) => !g.Deleted && !g.Rejected).length, 1);
    assert.equal(state.google[0].Topic, 'EVENT');
    assert.equal(state.google[0].Photo, true);
    assert.equal(state.x.filter((x) => !x.Deleted).length, 1);
    assert.equal(state.x[0].Media, 1);
    assert.equal((state.linkedin ?? []).length, 0, 'nothing on LinkedIn');
    assert.equal(state.mastodon.filter((s) => !s.Deleted).length, 1);
    assert.equal(state.bluesky.filter((s) => !s.Deleted).length, 1);
    assert.equal(state.facebook.filter((s) => !s.Deleted).length, 1);
    assert.deepEqual(state.bucketObjects ?? [], [], 'images removed from the bucket once the platforms had them');
    assert.ok(state.instagramFetches >= 1);

    // The page role is back: "Publish now" on LinkedIn alone, and all seven are live, each once.
    await fakes.control('/clear');
    await liJob.getByTestId('job-publish-now').click();
    await page.getByTestId('job-linkedin').getByTestId('live-link').waitFor({ timeout: 60000 });
    for (const p of [...done, 'linkedin']) {
      assert.equal(await page.getByTestId(`job-${p}`).getByTestId('live-link').count(), 1, `${p} shows its link`);
    }
    const after = await fakes.control('/state', 'GET');
    assert.equal(after.linkedin.length, 1, 'exactly one LinkedIn post');
    assert.equal(after.mastodon.filter((s) => !s.Deleted).length, 1, 'the retry touched LinkedIn only');
    await page.mouse.move(0, 0);
    await page.getByTestId('publish-progress').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(400);
    await screenshot(page, 'publish-seven-all-live');

    // A bucket that will not delete: the Instagram post still goes out, and
    // Home says a patient image is still in the bucket and what to do;
    // "Try removing them again" removes it once the bucket answers.
    await fakes.control('/fault?platform=bucket&method=DELETE&status=503');
    const second = await call(page, 'DraftService', 'Create', {
      id: 0, title: 'Chairs again', body: 'The new chairs, from the other side of the room.',
      versions: {}, channels: ['instagram'], hashtags: [], link: '', utm: true, campaign: '', pillar: 'news',
      media: [{ mediaId: img.id, sha256: img.sha256, altText: 'Two blue treatment chairs in a bright surgery' }], testimonials: [], localTime: '', awarenessId: '',
    });
    await page.goto(app.url + '#/publish/' + second.draft.id);
    assert.equal(await page.getByTestId('pick-instagram').isChecked(), true);
    await page.getByTestId('publish-now').click();
    await page.getByTestId('job-instagram').getByTestId('live-link').waitFor({ timeout: 60000 });
    await page.goto(app.url + '#/');
    const leftovers = page.getByTestId('hosted-leftovers');
    await leftovers.waitFor();
    assert.match(await leftovers.textContent(), /1 image for Instagram.* is still in the storage bucket, since .*Settings → Media hosting/);
    assert.equal((await fakes.control('/state', 'GET')).bucketObjects.length, 1, 'the image is still in the bucket');
    await leftovers.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'home-hosted-leftovers-1280');
    await page.setViewportSize({ width: 1024, height: 700 });
    await leftovers.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'home-hosted-leftovers-1024');
    await page.setViewportSize({ width: 1280, height: 800 });
    await fakes.control('/clear');
    await leftovers.getByRole('button', { name: 'Try removing them again' }).click();
    await leftovers.waitFor({ state: 'detached' });
    assert.deepEqual((await fakes.control('/state', 'GET')).bucketObjects ?? [], [], 'removed once the bucket answers');
  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
  }
});
