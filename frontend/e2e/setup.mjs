// The practice the end-to-end tests set up again and again (Harbour Dental
// Care, its consent settings, its patients, a signed consent), in one place,
// so each test file keeps only the steps its own story is about.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, watchOpenedURLs } from './fakes.mjs';
import { dataFile, openPage, startApp } from './harness.mjs';

/** A real 120×60 PNG (a checkerboard in two colours): a logo, a patient's photo or a scanned form. */
export const checkerPNG =
  'iVBORw0KGgoAAAANSUhEUgAAAHgAAAA8CAIAAAAiz+n/AAAAlElEQVR42u3ZsQ0AIAwDsO5cxUP9ige5gA8qJlQJS1mzeExir1lkZBbRve8GLNCgQYMGDRoWaNCgQbeFxvGmCxo0aNCgQYOGBRo0aNB9oXHYOkCDBg0aNCzQoEGDBu0zxGHrAA0aNGjQsECDBg0atM8Qh60DNGjQoEHDAg0aNGjQPkMctg7QoEGDBg0LNGjQoEF/2z3bm6ArauQ43gAAAABJRU5ErkJggg==';

/** Writes data to a new file called name in a fresh temporary folder (for file inputs). */
export function tmpFile(name, data) {
  const p = join(mkdtempSync(join(tmpdir(), 'pp-file-')), name);
  writeFileSync(p, data);
  return p;
}

/**
 * Sets the environment for the development build under test: sign-ins kept in
 * memory (the test machine has no keychain) unless vars says otherwise, sign-in
 * pages handed to the page instead of a browser (PRACTICEPOST_E2E), plus vars
 * (the fakes' addresses). The app reads it when startApp starts it.
 */
export function devEnv(vars = {}) {
  Object.assign(process.env, { PRACTICEPOST_SECRETS: 'memory', PRACTICEPOST_E2E: '1', ...vars });
}

/** Fills and saves the brand kit's name, address and email; the page is on Settings → Brand. */
export async function saveBrandKit(page) {
  await page.getByLabel('Practice name').fill('Harbour Dental Care');
  await page.getByLabel('Address').fill('12 Quay Street, Falmouth TR11 3HH');
  await page.getByLabel('Email').fill('hello@harbourdental.example');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('All changes saved.').waitFor();
}

/** The consent settings a consent form needs beyond the brand kit, saved on the Consents screen. */
export async function saveConsentSettings(page, app) {
  await page.goto(app.url + '#/consents');
  await page.getByLabel('Privacy notice web address').fill('https://harbourdental.example/privacy');
  await page.getByLabel('How patients can withdraw').fill('email privacy@harbourdental.example or tell reception');
  await page.getByRole('button', { name: 'Save consent settings' }).click();
  await page.getByText('Consent settings saved.').waitFor();
}

/** Brand kit and consent settings, through the screens; the page is on Settings → Brand. */
export async function setUpPractice(page, app) {
  await saveBrandKit(page);
  await saveConsentSettings(page, app);
}

/** Adds a patient through Patients → Add patient and waits for the patient's page. */
export async function addPatient(page, app, name, dob, email) {
  await page.goto(app.url + '#/patients');
  await page.getByRole('button', { name: 'Add patient' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByLabel('Full name').fill(name);
  await dlg.getByLabel('Date of birth').fill(dob);
  await dlg.getByLabel('Email').fill(email);
  await dlg.getByRole('button', { name: 'Add patient' }).click();
  await page.getByRole('heading', { name }).waitFor();
}

/** "Add testimonial" with no consent (a testimonial waiting for consent), with a photo file if given. */
export async function addWaitingTestimonial(page, app, patient, words, source, photoFile) {
  await page.goto(app.url + '#/testimonials');
  await page.getByRole('button', { name: 'Add testimonial' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByRole('combobox', { name: 'Patient', exact: true }).click();
  await page.getByRole('option', { name: patient, exact: true }).click();
  await dlg.getByLabel('What the patient said').fill(words);
  await dlg.getByLabel('Source').fill(source);
  if (photoFile) {
    await dlg.getByTestId('media-dropzone').locator('input[type=file]').setInputFiles([photoFile]);
    await dlg.getByRole('combobox', { name: 'Photo 1 type' }).waitFor();
  }
  await dlg.getByRole('button', { name: 'Add testimonial' }).click();
  await dlg.waitFor({ state: 'hidden' });
  await page.getByTestId('testimonial-card').filter({ hasText: words }).waitFor();
}

/** The first "Hand to patient" asks for a manager PIN: sets it (which hands the form over). */
export async function setFirstPin(page, pin) {
  const dlg = page.getByRole('dialog');
  await dlg.getByTestId('new-pin').fill(pin);
  await dlg.getByTestId('confirm-pin').fill(pin);
  await dlg.getByRole('button', { name: 'Save PIN' }).click();
}

/** Draws one wavy stroke across the signature pad, as a finger would. */
export async function drawSignature(page, pad) {
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const y0 = box.y + box.height * 0.55;
  await page.mouse.move(box.x + 40, y0);
  await page.mouse.down();
  for (let i = 1; i <= 30; i++) await page.mouse.move(box.x + 40 + i * 10, y0 - Math.sin(i / 3) * 25, { steps: 2 });
  await page.mouse.up();
}

/** After signing: staff unlock with the PIN, which opens the new consent. Resolves to its number. */
export async function unlockToConsent(page, pin) {
  await page.getByRole('button', { name: 'Staff: unlock' }).click();
  await page.getByTestId('unlock-pin').fill(pin);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  const heading = page.getByRole('heading', { name: /^Consent #\d+$/ });
  await heading.waitFor();
  return (await heading.innerText()).replace('Consent #', '');
}

/** The words of Ada Quinn's paper consent. */
export const adaQuote = 'The whole team put me at ease, and my new crown looks completely natural.';

/**
 * Through the bound services: the consent settings, the patient Ada Quinn and
 * her paper consent (initials only, the given channels, signed on signedOn,
 * a practice date), which makes its testimonial. Resolves to the consent.
 */
export async function recordAdaPaperConsent(page, { channels, signedOn, expiryMonths = 12 }) {
  const setup = await call(page, 'ConsentService', 'Setup');
  await call(page, 'ConsentService', 'SaveSettings', {
    ...setup.settings, privacyNoticeUrl: 'https://harbourdental.example/privacy', withdrawalMethod: 'email privacy@harbourdental.example',
  });
  const patient = await call(page, 'PatientService', 'Create', {
    fullName: 'Ada Quinn', dateOfBirth: '1968-03-14', email: 'ada@example.com', phone: '', ref: '', needsRepresentative: false,
  });
  return call(page, 'ConsentService', 'RecordPaper', {
    request: { patientId: patient.patient.id, templateVersion: setup.defaultTemplate, quote: adaQuote, source: 'in clinic', healthDetails: '', media: [],
      expiryMonths, remuneration: { kind: 'none', description: '', disclosure: '' }, showsFace: false, testimonialId: 0, words: '' },
    draft: { identity: ['initials'], channels, signerName: 'Ada Quinn', representative: false, relationship: '', authority: '' },
    signedOn, scanFileName: 'consent-scan.png', scanBase64: checkerPNG,
  });
}

/** The practice's wall-clock day and time (whole minutes) in zone for an instant. */
export function wallClock(zone, ms) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, clock: `${parts.hour}:${parts.minute}` };
}

/**
 * On the signing screen: the patient allows her first name only and Facebook,
 * types her name, signs and sends; waits for the thank-you.
 */
export async function signFirstNameOnFacebook(page, signing, name) {
  await signing.getByRole('checkbox', { name: 'My first name only' }).check();
  await signing.getByRole('checkbox', { name: 'Facebook', exact: true }).check();
  await signing.getByTestId('typed-name').fill(name);
  await drawSignature(page, signing.getByTestId('signature-pad'));
  await signing.getByTestId('sign-button').click();
  await page.getByTestId('signing-done').waitFor();
}

/** Opens Channels on a fresh app with none connected, noting the sign-in pages the app opens (window.__opened). */
export async function openEmptyChannels(browser, app) {
  const page = await openPage(browser, app, 'channels');
  await page.getByTestId('no-channels').waitFor();
  await watchOpenedURLs(page);
  return page;
}

/**
 * Starts the app on home again as if offset (a Go duration) had passed while
 * it was closed (the development build's clock offset); later starts are on time.
 */
export async function startAppLater(home, offset) {
  process.env.PRACTICEPOST_CLOCK_OFFSET = offset;
  try {
    return await startApp(home);
  } finally {
    delete process.env.PRACTICEPOST_CLOCK_OFFSET;
  }
}

/** On a consent's page: records a withdrawal that reached the practice by email, and waits for the page to show it. */
export async function recordWithdrawalByEmail(page) {
  await page.getByRole('button', { name: 'Record withdrawal' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByRole('combobox', { name: 'How it reached the practice' }).click();
  await page.getByRole('option', { name: 'By email' }).click();
  await dlg.getByRole('button', { name: 'Record withdrawal' }).click();
  await page.getByTestId('revocation').waitFor();
}

/** Runs one SQL statement on a data folder's data file with the sqlite3 tool (waiting up to 10 s for the app's lock) and returns its output. */
export function sqlite(home, query) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', dataFile(home), query], { encoding: 'utf8' }).trim();
}
