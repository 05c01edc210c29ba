import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataFileLeaks, launchBrowser, newHome, openPage, screenshot, shots, startApp } from './harness.mjs';
import { connectFacebook, libraryPhoto, makeJPEG, startFakes } from './fakes.mjs';

// Calls a bound Go method the way the UI does (Wails' window.go bridge).
const call = (page, svc, method, ...args) =>
  page.evaluate(([s, m, a]) => window.go.service[s][m](...a), [svc, method, args]);

const iso = (d) => d.toISOString().slice(0, 10);

async function newDraft(page) {
  await page.getByRole('button', { name: 'New post' }).click();
  await page.waitForURL(/#\/drafts\/\d+$/);
  const id = Number(page.url().split('/').pop());
  await page.getByTestId('draft-body').waitFor();
  return id;
}

async function saved(page) {
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor({ timeout: 10000 });
}

test('guard: a patient name and an NHS number are highlighted and block scheduling; fixed, the post is scheduled and dragged in the calendar', async () => {
  // A connected Facebook Page (the fake), so "Publish" can be seen enabled once the post is clean.
  const fakes = await startFakes();
  Object.assign(process.env, { PRACTICEPOST_SECRETS: 'file', PRACTICEPOST_FACEBOOK_GRAPH_URL: fakes.facebook });
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'channels');
    await connectFacebook(page, fakes);
    await page.goto(app.url + '#/drafts');
    await call(page, 'CalendarService', 'SaveSettings', 'Europe/London', ['dental']);
    await call(page, 'PatientService', 'Create', {
      fullName: 'Margaret Okafor', dateOfBirth: '1961-04-02', email: 'margaret@example.com', phone: '', ref: '', needsRepresentative: false,
    });
    const id = await newDraft(page);

    const body = page.getByTestId('draft-body');
    await body.pressSequentially('Lovely to see Margaret Okafor today! Her NHS number is 943 476 5919.', { delay: 8 });
    const marks = page.locator('[data-testid="draft-body-marks"] mark[data-severity="block"]');
    await marks.nth(1).waitFor({ timeout: 10000 });
    assert.deepEqual(await marks.allTextContents(), ['Margaret Okafor', '943 476 5919']);

    const reasons = page.getByTestId('block-reasons');
    await reasons.waitFor();
    const reasonText = await reasons.textContent();
    assert.match(reasonText, /name of one of your patients/);
    assert.match(reasonText, /NHS number/);
    assert.equal(await page.getByRole('button', { name: 'Schedule' }).isDisabled(), true);
    assert.equal(await page.getByTestId('publish-button').isDisabled(), true);
    await page.getByTestId('findings').getByText('Must fix').first().waitFor();
    await screenshot(page, 'draft-editor-findings');
    // The draft with her name in it is kept, sealed: the name is nowhere
    // in the data file or its WAL while the app runs.
    await saved(page);
    assert.deepEqual(dataFileLeaks(app.home), []);

    // A testimonial signed the way practices sign them ("— Margaret O."),
    // with the flat she lives in: the name and initial, and the whole
    // address with its flat, are marked; "Margaret O'Neil" would not be.
    await body.fill('"Best check-up I have had." — Margaret O., Flat 2, 9 Chapel Way');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="draft-body-marks"] mark[data-severity="block"]')]
      .map((m) => m.textContent).join('|') === 'Margaret O.|Flat 2, 9 Chapel Way', null, { timeout: 10000 })
      .catch(async () => assert.fail(`marked: ${JSON.stringify(await marks.allTextContents())}`));
    await shots(page, 'draft-editor-initial-and-flat');

    // Remove both (and Instagram, which needs an image): the marks go and,
    // with Facebook connected, Schedule and Publish are both enabled.
    await page.getByRole('checkbox', { name: 'Instagram', exact: true }).uncheck();
    await body.fill('Thank you to everyone who came to our open day! Brushing twice a day keeps gums healthy.');
    await page.getByRole('combobox', { name: 'Content pillar' }).click();
    await page.getByRole('option', { name: 'Tip', exact: true }).click();
    await page.getByTestId('guard-status').getByText('All clear').waitFor({ timeout: 10000 });
    assert.equal(await marks.count(), 0);
    const day = new Date(Date.now() + 2 * 86400000);
    await page.getByLabel('Day').fill(iso(day));
    await page.getByLabel(/^Time/).fill('09:00');
    const schedule = page.getByRole('button', { name: 'Schedule' });
    assert.equal(await schedule.isDisabled(), false);
    await page.getByTestId('publish-reason').getByText(/ready/).waitFor({ timeout: 10000 });
    assert.equal(await page.getByTestId('publish-button').isDisabled(), false);
    assert.equal(await page.getByTestId('block-reasons').count(), 0);
    await screenshot(page, 'draft-editor-ready');

    // For LinkedIn only, which is not connected: Schedule still works, Publish says why not.
    await page.getByRole('checkbox', { name: 'LinkedIn', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Facebook', exact: true }).uncheck();
    await page.getByTestId('publish-reason').getByText(/Connect .*first/).waitFor({ timeout: 10000 });
    assert.equal(await page.getByTestId('publish-button').isDisabled(), true);
    await schedule.click();
    await page.getByTestId('scheduled-at').waitFor();
    assert.match(await page.getByTestId('scheduled-at').textContent(), /09:00/);
    await screenshot(page, 'draft-editor-scheduled');

    // Drag it one day later in the month view.
    await page.goto(app.url + '#/calendar');
    const ev = page.locator('.fc-event.pp-post').first();
    await ev.waitFor();
    const target = new Date(day.getTime() + 86400000);
    const cell = page.locator(`td.fc-daygrid-day[data-date="${iso(target)}"]`);
    const from = await ev.boundingBox();
    const to = await cell.boundingBox();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 5, from.y + from.height / 2 + 5, { steps: 3 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 15 });
    await page.mouse.up();
    await page.getByText(/^Moved to /).waitFor({ timeout: 10000 });
    const moved = await call(page, 'DraftService', 'Get', id);
    assert.equal(moved.draft.localTime, iso(target) + 'T09:00');
    assert.equal(moved.draft.status, 'scheduled');
    await cell.locator('.fc-event.pp-post').waitFor();
    await page.locator('.fc-event.pp-aware').first().waitFor();
    await screenshot(page, 'calendar-month');

    await page.getByRole('button', { name: 'Week' }).click();
    // Step forward to the week the post is in (today may be in the one before).
    const weekPost = page.locator('.fc-timegrid-event.pp-post').first();
    if (!(await weekPost.waitFor({ timeout: 3000 }).then(() => true, () => false))) {
      await page.locator('.fc-next-button').click();
    }
    await page.locator('.fc-timegrid-event.pp-post').first().waitFor();
    assert.match(await page.locator('.fc-timegrid-event.pp-post').first().textContent(), /09:00/);
    await screenshot(page, 'calendar-week');
  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
    delete process.env.PRACTICEPOST_FACEBOOK_GRAPH_URL;
  }
});

test('alt text: a patient named in an image’s alt text is a “Must fix” on that image and blocks the post; described without her, the post is clear', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'drafts');
    await call(page, 'CalendarService', 'SaveSettings', 'Europe/London', ['dental']);
    await call(page, 'PatientService', 'Create', {
      fullName: 'Margaret Okafor', dateOfBirth: '1961-04-02', email: 'margaret@example.com', phone: '', ref: '', needsRepresentative: false,
    });
    const b64 = await makeJPEG(page, { from: '#eaf2f8', to: '#aed6f1', quality: 0.9 }, (g) => {
      g.fillStyle = '#1f618d';
      g.fillRect(300, 380, 600, 140);
    });
    const img = await libraryPhoto(page, 'chair.jpg', b64, 'premises', 'A blue treatment chair');
    // Alt text is sent with the image and read aloud by screen readers, so
    // the check reads it like the post's words.
    const draft = await call(page, 'DraftService', 'Create', {
      id: 0, title: 'New chair', body: 'Our new treatment chair has arrived: it reclines further and has a massage setting.',
      versions: {}, channels: ['mastodon'], hashtags: [], link: '', utm: false, campaign: '', pillar: 'team',
      media: [{ mediaId: img.id, sha256: img.sha256, altText: 'Margaret Okafor trying out our new treatment chair' }], testimonials: [], localTime: '', awarenessId: '',
    });
    await page.goto(app.url + '#/drafts/' + draft.draft.id);
    const finding = page.getByTestId('finding').filter({ hasText: 'The alt text of image 1 contains' });
    await finding.waitFor({ timeout: 10000 });
    assert.match(await finding.textContent(), /In image 1/);
    assert.match(await finding.textContent(), /Alt text for image 1/);
    await page.getByTestId('image-flag-1').getByText('Must fix').waitFor();
    assert.match(await page.getByTestId('block-reasons').textContent(), /alt text of image 1/);
    assert.equal(await page.getByTestId('publish-button').isDisabled(), true);
    await page.mouse.move(0, 0);
    await shots(page, 'draft-editor-alt-text');
    await shots(page, 'draft-editor-alt-text-field', page.getByLabel('Alt text for image 1'));

    await page.getByLabel('Alt text for image 1').fill('A patient trying out our new treatment chair');
    await finding.waitFor({ state: 'detached', timeout: 10000 });
    assert.equal(await page.getByTestId('image-flag-1').count(), 0);
    await saved(page);
  } finally {
    await browser.close();
    await app.stop();
  }
});

test('autosave: the app is killed mid-typing and the text is there after a restart', async () => {
  const home = newHome();
  let app = await startApp(home);
  let browser = await launchBrowser();
  const first = 'Spring is here, and so is our new hygienist. ';
  const more = 'She has a gentle touch and a great playlist for nervous patients.';
  let id;
  let killed = false;
  try {
    const page = await openPage(browser, app, 'drafts');
    id = await newDraft(page);
    const body = page.getByTestId('draft-body');
    await body.pressSequentially(first, { delay: 10 });
    await saved(page);
    const typing = body.pressSequentially(more, { delay: 40 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 2000));
    await app.stop('SIGKILL');
    killed = true;
    await typing;
  } finally {
    await browser.close();
    // The harness's stop() waits for an exit that a killed process has
    // already had (exitCode stays null after a signal), so skip it then.
    if (!killed) await app.stop();
  }

  app = await startApp(home);
  browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'drafts/' + id);
    const body = page.getByTestId('draft-body');
    await body.waitFor();
    const text = await body.inputValue();
    assert.ok(text.startsWith(first), `after the restart the draft reads ${JSON.stringify(text)}`);
    assert.ok((first + more).startsWith(text), 'what was saved is exactly what was typed, in order');
    assert.ok(text.length > first.length, 'words typed after the first save and before the kill were saved too');
    await screenshot(page, 'draft-after-kill');
  } finally {
    await browser.close();
    await app.stop();
  }
});
