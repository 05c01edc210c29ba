import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { call, connectFacebook, connectMastodon, startFakes } from './fakes.mjs';
import { launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { devEnv, startAppLater, wallClock } from './setup.mjs';

const ZONE = 'Europe/London';

/** The practice's wall-clock day and time (whole minutes) for an instant. */
const practiceTime = (ms) => wallClock(ZONE, ms);

async function newDraft(page, title, body, platform, localTime = '') {
  const v = await call(page, 'DraftService', 'Create', {
    id: 0, title, body, versions: {}, channels: [platform], hashtags: [], link: '', utm: false, campaign: '', pillar: 'news',
    media: [], testimonials: [], localTime, awarenessId: '',
  });
  return v.draft.id;
}

/** Schedules a draft through the publish screen, as the manager does. */
async function schedule(page, app, id, when, platform) {
  await page.goto(app.url + '#/publish/' + id);
  const panel = page.getByTestId('publish-panel');
  await panel.getByText(new RegExp(`^${platform === 'mastodon' ? 'Mastodon' : 'Facebook'}:`)).waitFor();
  await panel.getByLabel('Day').fill(when.date);
  await panel.getByLabel(/^Time/).fill(when.clock);
  await page.getByTestId('publish-schedule').click();
}

// Mantine's modal fades in and out; screenshots wait for it to settle.
const settle = (page) => page.waitForTimeout(400);
async function closePanel(page) {
  await page.keyboard.press('Escape');
  await page.locator('.mantine-Modal-overlay').waitFor({ state: 'detached' });
}

const postTile = (page, title) => page.locator('.fc-event.pp-post', { hasText: title });
const chip = (page, title, platform) => postTile(page, title).locator(`[data-testid="post-chip"][data-platform="${platform}"]`);

test('missed while closed: a post due while PracticePost was quit comes back as missed in the calendar and on Home, and "Publish now" sends it once; a Facebook post held by Facebook says it goes out with the computer off', async () => {
  const fakes = await startFakes();
  // A file keychain: the data key must survive the restart, as the OS keychain's does.
  devEnv({ PRACTICEPOST_SECRETS: 'file', PRACTICEPOST_FACEBOOK_GRAPH_URL: fakes.facebook });
  delete process.env.PRACTICEPOST_CLOCK_OFFSET;
  const home = newHome();
  const mastoTitle = 'Flu jabs this Saturday';
  const fbTitle = 'Open evening next week';
  const mastoBody = 'Flu jabs this Saturday from 9 to 12. No appointment needed, just come along.';
  let app = await startApp(home);
  let browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'channels');
    await call(page, 'CalendarService', 'SaveSettings', ZONE, ['dental']);
    await page.getByTestId('no-channels').waitFor();
    await connectMastodon(page, browser, fakes);
    await connectFacebook(page, fakes);

    // Mastodon in about four minutes: PracticePost itself has to send it.
    const masto = await newDraft(page, mastoTitle, mastoBody, 'mastodon');
    const mastoAt = practiceTime(Date.now() + 4 * 60000);
    await schedule(page, app, masto, mastoAt, 'mastodon');
    await page.locator('[data-testid="job-mastodon"][data-state="queued"]').waitFor({ timeout: 15000 });

    // Facebook in about half an hour: handed to Facebook's own scheduler.
    const fb = await newDraft(page, fbTitle, 'Come and meet the team at our open evening next Thursday, 6 to 8pm.', 'facebook');
    await schedule(page, app, fb, practiceTime(Date.now() + 31 * 60000), 'facebook');
    await page.locator('[data-testid="job-facebook"][data-state="scheduled_remote"]').waitFor({ timeout: 15000 });
    let state = await fakes.control('/state', 'GET');
    assert.equal((state.facebook ?? []).filter((p) => !p.Deleted && !p.Published).length, 1, 'Facebook holds the post for later, unpublished');

    // The calendar says who sends what.
    await page.goto(app.url + '#/calendar');
    await chip(page, mastoTitle, 'mastodon').and(page.locator('[data-state="queued"]')).waitFor({ timeout: 10000 });
    await chip(page, fbTitle, 'facebook').and(page.locator('[data-state="scheduled_remote"]')).waitFor();
    await postTile(page, fbTitle).click();
    const panel = page.getByTestId('post-panel');
    await panel.waitFor();
    const fbItem = panel.locator('[data-testid="job-item-facebook"][data-state="scheduled_remote"]');
    assert.match(await fbItem.getByTestId('job-detail').textContent(), /goes out even if this computer is off/);
    assert.equal(await fbItem.getByTestId('job-now').count(), 0, 'Facebook already holds it: no second send offered');
    await page.mouse.move(0, 0);
    await settle(page);
    await screenshot(page, 'calendar-facebook-held');
    await closePanel(page);
    await postTile(page, mastoTitle).click();
    const mItem = page.getByTestId('post-panel').locator('[data-testid="job-item-mastodon"][data-state="queued"]');
    assert.match(await mItem.getByTestId('job-detail').textContent(), /PracticePost sends it/);
    await closePanel(page);

    // Quit, as the manager does from the sidebar while a post still waits.
    state = await fakes.control('/state', 'GET');
    assert.equal((state.mastodon ?? []).length, 0, 'nothing went to Mastodon yet');
    await page.getByTestId('background-note').waitFor();
    page.once('dialog', (d) => d.accept());
    await page.getByTestId('background-note').getByRole('button', { name: 'Quit PracticePost' }).click();
    // Quit ends the process by itself: its address stops answering.
    const until = Date.now() + 15000;
    for (;;) {
      const up = await fetch(app.url).then(() => true, () => false);
      if (!up) break;
      assert.ok(Date.now() < until, 'the app is still running 15 s after Quit');
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await browser.close();
    await app.stop(); // returns at once when Quit already ended it
  }

  // The sign-ins are lost while PracticePost is closed (a keychain reset, a
  // revoked app password), but the data file's own keys stay: the file opens
  // and both accounts need signing in again.
  const keys = path.join(home, 'dev-secrets.json');
  const kept = Object.fromEntries(Object.entries(JSON.parse(fs.readFileSync(keys, 'utf8')))
    .filter(([k]) => /^(seal|store|audit):/.test(k)));
  assert.ok(Object.keys(kept).length > 0, 'the data file keeps its keys');
  fs.writeFileSync(keys, JSON.stringify(kept), { mode: 0o600 });

  // Start again a quarter of an hour later (the development build's clock
  // offset): the Mastodon post's time passed while PracticePost was closed.
  app = await startAppLater(home, '15m');
  browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, '');
    const card = page.getByTestId('attention-card');
    await card.waitFor({ timeout: 15000 });
    const missedItem = card.locator('[data-testid="job-item-mastodon"][data-state="missed"]');
    await missedItem.waitFor();
    assert.match(await missedItem.textContent(), /Flu jabs this Saturday/);
    assert.match(await missedItem.getByTestId('job-detail').textContent(), /while PracticePost was closed/);
    // The sign-ins were lost, so after the restart both accounts need
    // signing in again, and Home says so; sending waits for it.
    assert.match(await page.getByTestId('channel-reminders').textContent(), /Mastodon.*needs reconnecting/);
    assert.equal(await missedItem.getByTestId('job-now').isDisabled(), true);
    assert.match(await missedItem.getByTestId('job-reconnect').textContent(), /Reconnect Mastodon/);
    let state = await fakes.control('/state', 'GET');
    assert.equal((state.mastodon ?? []).length, 0, 'a missed post is never sent late on its own');
    await page.mouse.move(0, 0);
    await screenshot(page, 'home-missed');

    await page.goto(app.url + '#/channels');
    await connectMastodon(page, browser, fakes, true);

    // Two more posts planned for today and sent now: Mastodon refuses one
    // and rate-limits the other (its limit resets in 20 minutes of real time).
    const today = practiceTime(Date.now()).date;
    const failedTitle = 'Car park closed Monday';
    const waitingTitle = 'Staff training afternoon';
    const failedId = await newDraft(page, failedTitle, 'The car park is closed on Monday for resurfacing. Please use the High Street car park.', 'mastodon', today + 'T12:00');
    const waitingId = await newDraft(page, waitingTitle, 'We close at 1pm on Wednesday for staff training. Emergencies: call 111.', 'mastodon', today + 'T13:00');
    await fakes.control('/fault?platform=mastodon&method=POST&path=/api/v1/statuses&status=422&times=1');
    await call(page, 'PublishService', 'Publish', { draftId: failedId, channels: [], date: '', clock: '' });
    await page.goto(app.url + '#/calendar');
    await chip(page, failedTitle, 'mastodon').and(page.locator('[data-state="failed"]')).waitFor({ timeout: 15000 });
    await fakes.control('/fault?platform=mastodon&method=POST&path=/api/v1/statuses&status=429&reset=20m&times=1');
    await call(page, 'PublishService', 'Publish', { draftId: waitingId, channels: [], date: '', clock: '' });
    await chip(page, waitingTitle, 'mastodon').and(page.locator('[data-state="waiting"]')).waitFor({ timeout: 15000 }).catch(async (e) => {
      console.error('DEBUG', JSON.stringify(await call(page, 'PublishService', 'Jobs', waitingId)));
      throw e;
    });
    await chip(page, mastoTitle, 'mastodon').and(page.locator('[data-state="missed"]')).waitFor({ timeout: 10000 });
    await chip(page, fbTitle, 'facebook').and(page.locator('[data-state="scheduled_remote"]')).waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, 'calendar-missed');
    await page.getByRole('button', { name: 'Week' }).click();
    await postTile(page, mastoTitle).locator('[data-state="missed"]').waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, 'calendar-week-states');
    await page.getByRole('button', { name: 'Month' }).click();

    await postTile(page, waitingTitle).click();
    const waitItem = page.getByTestId('post-panel').locator('[data-testid="job-item-mastodon"][data-state="waiting"]');
    assert.match(await waitItem.getByTestId('job-detail').textContent(), /limiting how often .* tries again by itself at/);
    await closePanel(page);

    // Home lists the missed and the refused post, with Mastodon's own words.
    await page.goto(app.url + '#/');
    const failedItem = page.getByTestId('attention-card').locator('[data-testid="job-item-mastodon"][data-state="failed"]');
    await failedItem.waitFor({ timeout: 10000 });
    assert.match(await failedItem.textContent(), /Car park closed Monday|The car park is closed/);
    assert.match(await failedItem.getByTestId('job-detail').textContent(), /Mastodon refused this post. It said: “Unprocessable Entity”/);
    await page.getByTestId('attention-card').locator('[data-testid="job-item-mastodon"][data-state="missed"]').waitFor();
    assert.doesNotMatch(await page.getByTestId('channel-reminders').textContent(), /Mastodon/, 'Mastodon is connected again');
    await page.mouse.move(0, 0);
    await screenshot(page, 'home-attention');

    await page.goto(app.url + '#/calendar');
    await chip(page, mastoTitle, 'mastodon').and(page.locator('[data-state="missed"]')).waitFor({ timeout: 10000 });

    await postTile(page, mastoTitle).click();
    const panel = page.getByTestId('post-panel');
    await panel.getByTestId('post-missed-alert').waitFor();
    const item = panel.locator('[data-testid="job-item-mastodon"]');
    assert.equal(await item.getAttribute('data-state'), 'missed');
    await item.getByTestId('job-new-time').waitFor();
    await item.getByTestId('job-cancel').waitFor();
    await page.mouse.move(0, 0);
    await settle(page);
    await screenshot(page, 'calendar-missed-panel');
    await item.getByTestId('job-now').click();

    const link = panel.locator('[data-testid="job-item-mastodon"][data-state="published"]').getByTestId('job-live-link');
    await link.waitFor({ timeout: 20000 });
    const href = await link.getAttribute('href');
    assert.ok(href.startsWith(fakes.mastodon + '/@smiledental/'), href);
    await page.mouse.move(0, 0);
    await screenshot(page, 'calendar-published-panel');
    await closePanel(page);
    await chip(page, mastoTitle, 'mastodon').and(page.locator('[data-state="published"]')).waitFor({ timeout: 10000 });
    await page.mouse.move(0, 0);
    await screenshot(page, 'calendar-after-publish-now');

    // The refused post gets a new time: tomorrow 10:00. It moves in the
    // calendar and waits in the queue for that time.
    const tomorrow = practiceTime(Date.now() + 86400000).date;
    await postTile(page, failedTitle).click();
    const failItem = page.getByTestId('post-panel').locator('[data-testid="job-item-mastodon"][data-state="failed"]');
    await failItem.getByTestId('job-new-time').click();
    await failItem.getByLabel('Day').fill(tomorrow);
    await failItem.getByLabel(/^Time/).fill('10:00');
    // The new day's picker and the time, level, at both sizes.
    for (const [w, h] of [[1024, 700], [1280, 800]]) {
      await page.setViewportSize({ width: w, height: h });
      await failItem.getByTestId('job-new-time-form').scrollIntoViewIfNeeded();
      await screenshot(page, `calendar-new-time-${w}`);
    }
    await failItem.getByTestId('job-new-time-save').click();
    await page.getByTestId('post-panel').locator('[data-testid="job-item-mastodon"][data-state="queued"]').waitFor({ timeout: 10000 });
    await closePanel(page);
    const moved = await call(page, 'DraftService', 'Get', failedId);
    assert.equal(moved.draft.localTime, tomorrow + 'T10:00');
    assert.equal(moved.draft.status, 'scheduled');
    const [job] = await call(page, 'PublishService', 'Jobs', failedId);
    assert.equal(job.state, 'queued');
    assert.equal(practiceTime(Date.parse(job.scheduledAt)).clock, '10:00');
    await page.locator(`td.fc-daygrid-day[data-date="${tomorrow}"]`).locator('.fc-event.pp-post', { hasText: failedTitle })
      .locator('[data-state="queued"]').waitFor({ timeout: 10000 });

    // The rate-limited one is cancelled instead: it never goes out.
    await postTile(page, waitingTitle).click();
    const cancelItem = page.getByTestId('post-panel').locator('[data-testid="job-item-mastodon"]');
    await cancelItem.getByTestId('job-cancel').click();
    await page.getByTestId('job-cancel-confirm').click();
    await page.getByTestId('post-panel').locator('[data-testid="job-item-mastodon"][data-state="cancelled"]').waitFor({ timeout: 10000 });
    await closePanel(page);
    await chip(page, waitingTitle, 'mastodon').and(page.locator('[data-state="cancelled"]')).waitFor();

    // Exactly one post, even after the queue has had time to look again.
    await page.waitForTimeout(6000);
    state = await fakes.control('/state', 'GET');
    const live = (state.mastodon ?? []).filter((s) => !s.Deleted);
    assert.equal(live.length, 1, 'exactly one post on Mastodon');
    assert.match(live[0].Text, /Flu jabs this Saturday from 9 to 12/);
    assert.ok(href.endsWith('/' + live[0].ID));
    assert.equal((state.facebook ?? []).filter((p) => !p.Deleted && !p.Published).length, 1, 'the Facebook post is still held, once');

    // Home lists nothing of Mastodon's any more (Facebook still needs signing in again).
    await page.goto(app.url + '#/');
    await page.getByTestId('channel-reminders').getByText('Facebook').waitFor();
    assert.equal(await page.getByTestId('attention-card').count(), 0, 'nothing missed or refused is left');
  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
  }
});
