import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, connectMastodon, startFakes } from './fakes.mjs';
import { launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { adaQuote as quote, devEnv, recordAdaPaperConsent, startAppLater, saveBrandKit, wallClock } from './setup.mjs';

const ZONE = 'Europe/London';

/** The practice's wall-clock day and time (whole minutes) for an instant. */
const practiceTime = (ms) => wallClock(ZONE, ms);

test('the gate at every door: a post missed while PracticePost was closed, whose consent ended meanwhile, stays blocked after “Publish now”, says why, and nothing reaches Mastodon', async () => {
  const fakes = await startFakes();
  // Sign-ins kept in a file, so they survive the restart.
  devEnv({ PRACTICEPOST_SECRETS: 'file' });
  delete process.env.PRACTICEPOST_CLOCK_OFFSET;
  const home = newHome();
  let app = await startApp(home);
  let browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await saveBrandKit(page);
    await call(page, 'CalendarService', 'SaveSettings', ZONE, ['dental']);
    await page.goto(app.url + '#/channels');
    await connectMastodon(page, browser, fakes);

    // A paper consent for one month, initials, Mastodon; its testimonial.
    const cons = await recordAdaPaperConsent(page, { channels: ['mastodon'], signedOn: practiceTime(Date.now()).date, expiryMonths: 1 });
    const tm = (await call(page, 'TestimonialService', 'List')).find((t) => t.testimonial.consentId === cons.id);
    assert.ok(tm, 'the paper consent made its testimonial');

    // Scheduled for a few minutes from now, while the consent holds.
    const draft = await call(page, 'DraftService', 'Create', {
      id: 0, title: 'A.Q.’s crown', body: `“${quote}” A.Q.`, versions: {}, channels: ['mastodon'], hashtags: [], link: '', utm: false,
      campaign: '', pillar: 'testimonial', media: [], testimonials: [tm.testimonial.id], paid: false, localTime: '', awarenessId: '',
    });
    const at = practiceTime(Date.now() + 4 * 60000);
    const res = await call(page, 'PublishService', 'Publish', { draftId: draft.draft.id, channels: [], date: at.date, clock: at.clock });
    assert.equal(res.jobs.length, 1);
    assert.equal(res.jobs[0].state, 'queued');
  } catch (e) {
    fakes.stop();
    throw e;
  } finally {
    await browser.close();
    await app.stop();
  }

  // PracticePost stays closed for five weeks: the post's time passes, and
  // the one-month consent ends.
  app = await startAppLater(home, '840h');
  browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, '');
    const card = page.getByTestId('attention-card');
    const missed = card.locator('[data-testid="job-item-mastodon"][data-state="missed"]');
    await missed.waitFor({ timeout: 20000 });
    await missed.getByTestId('job-now').click();

    // The check runs again at this moment: the consent has ended.
    const blocked = card.locator('[data-testid="job-item-mastodon"][data-state="blocked"]');
    await blocked.waitFor({ timeout: 15000 });
    const detail = await blocked.getByTestId('job-detail').textContent();
    assert.match(detail, /consent and privacy check/);
    assert.match(detail, /expired/);
    const state = await fakes.control('/state', 'GET');
    assert.equal((state.mastodon ?? []).length, 0, 'nothing reached Mastodon');
    await page.mouse.move(0, 0);
    await screenshot(page, 'gate-missed-expired-blocked');
    await page.setViewportSize({ width: 1024, height: 700 });
    await blocked.scrollIntoViewIfNeeded();
    await screenshot(page, 'gate-missed-expired-blocked-1024');

    // Asking again is refused the same way, and still nothing is sent.
    await blocked.getByTestId('job-now').click();
    await blocked.getByText(/expired/).first().waitFor();
    const again = await fakes.control('/state', 'GET');
    assert.equal((again.mastodon ?? []).length, 0, 'still nothing on Mastodon');
  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
  }
});
