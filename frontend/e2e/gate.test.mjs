import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, connectMastodon, startFakes } from './fakes.mjs';
import { launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';

const ZONE = 'Europe/London';

/** The practice's wall-clock day and time (whole minutes) for an instant. */
function practiceTime(ms) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, clock: `${parts.hour}:${parts.minute}` };
}

// A tiny PNG standing in for the scan of a paper consent form.
const scanPNG = 'iVBORw0KGgoAAAANSUhEUgAAAHgAAAA8CAIAAAAiz+n/AAAAlElEQVR42u3ZsQ0AIAwDsO5cxUP9ige5gA8qJlQJS1mzeExir1lkZBbRve8GLNCgQYMGDRoWaNCgQbeFxvGmCxo0aNCgQYOGBRo0aNB9oXHYOkCDBg0aNCzQoEGDBu0zxGHrAA0aNGjQsECDBg0atM8Qh60DNGjQoEHDAg0aNGjQPkMctg7QoEGDBg0LNGjQoEF/2z3bm6ArauQ43gAAAABJRU5ErkJggg==';

test('the gate at every door: a post missed while PracticePost was closed, whose consent ended meanwhile, stays blocked after “Publish now”, says why, and nothing reaches Mastodon', async () => {
  const fakes = await startFakes();
  // Sign-ins kept in a file, so they survive the restart.
  Object.assign(process.env, { PRACTICEPOST_SECRETS: 'file', PRACTICEPOST_E2E: '1' });
  delete process.env.PRACTICEPOST_CLOCK_OFFSET;
  const home = newHome();
  const quote = 'The whole team put me at ease, and my new crown looks completely natural.';
  let app = await startApp(home);
  let browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await page.getByLabel('Practice name').fill('Harbour Dental Care');
    await page.getByLabel('Address').fill('12 Quay Street, Falmouth TR11 3HH');
    await page.getByLabel('Email').fill('hello@harbourdental.example');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('All changes saved.').waitFor();
    await call(page, 'CalendarService', 'SaveSettings', ZONE, ['dental']);
    await page.goto(app.url + '#/channels');
    await connectMastodon(page, browser, fakes);

    // A paper consent for one month, initials, Mastodon; its testimonial.
    const setup = await call(page, 'ConsentService', 'Setup');
    await call(page, 'ConsentService', 'SaveSettings', {
      ...setup.settings, privacyNoticeUrl: 'https://harbourdental.example/privacy', withdrawalMethod: 'email privacy@harbourdental.example',
    });
    const patient = await call(page, 'PatientService', 'Create', {
      fullName: 'Ada Quinn', dateOfBirth: '1968-03-14', email: 'ada@example.com', phone: '', ref: '', needsRepresentative: false,
    });
    const cons = await call(page, 'ConsentService', 'RecordPaper', {
      request: { patientId: patient.patient.id, templateVersion: setup.defaultTemplate, quote, source: 'in clinic', healthDetails: '', media: [],
        expiryMonths: 1, remuneration: { kind: 'none', description: '', disclosure: '' }, showsFace: false, testimonialId: 0, words: '' },
      draft: { identity: ['initials'], channels: ['mastodon'], signerName: 'Ada Quinn', representative: false, relationship: '', authority: '' },
      signedOn: practiceTime(Date.now()).date, scanFileName: 'consent-scan.png', scanBase64: scanPNG,
    });
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
  process.env.PRACTICEPOST_CLOCK_OFFSET = '840h';
  app = await startApp(home);
  delete process.env.PRACTICEPOST_CLOCK_OFFSET;
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
