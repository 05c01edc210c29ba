import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifacts, launchBrowser, newHome, openPage, screenshot, shots, startApp } from './harness.mjs';
import { call, connectFacebook, startFakes } from './fakes.mjs';
import { startMailServer } from './mailbox.mjs';
import { addPatient, setUpPractice } from './setup.mjs';

// The app keeps the mailbox password in memory instead of a keychain (the
// development build only; the test machine has no keychain service).
process.env.PRACTICEPOST_SECRETS = 'memory';

/** The error message Mantine shows under a field (linked by aria-describedby). */
async function fieldError(page, field) {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter((id) => id.endsWith('-error'));
  return ids.length ? page.locator(`[id="${ids[0]}"]`).innerText() : '';
}

const header = (raw, name) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(raw)?.[1].trim() ?? '';

// A one-page PDF, standing in for the signed form a patient scans back.
const signedPDF =
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
  '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

/**
 * The headers of a patient's mail answering the request sent: the request's
 * reference (token) in the subject, threaded to it by In-Reply-To and References.
 */
function replyHeaders(sent, from, token, id) {
  const mid = header(sent, 'Message-Id');
  return [
    `From: ${from}`,
    'To: Harbour Dental Care <hello@harbourdental.example>',
    `Subject: Re: [${token}] Your permission to share your story`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${id}-${Date.now()}@mail.example.com>`,
    `In-Reply-To: ${mid}`,
    `References: ${mid}`,
  ];
}

/** The patient's answer as a mail program writes it: ticks, typed name, quoted request, a PDF. */
function patientReply(sent, from) {
  const token = header(sent, 'X-Practicepost-Request');
  assert.match(token, /^PP-[0-9A-Z]{6}$/);
  const pdf = Buffer.from(signedPDF).toString('base64');
  return [
    ...replyHeaders(sent, from, token, 'reply'),
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="xyz"',
    '',
    '--xyz',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Hello, of course, happy to help. I have ticked the ones I am happy with.',
    '',
    '[x] My first name only',
    '[x] Before-and-after images',
    '[x] Facebook',
    '[x] Instagram',
    '[ ] Paid or boosted adverts on the channels I ticked',
    '',
    'Full name: Maggie Ellison',
    '',
    'On Sun, 22 Nov 2026 at 10:00, Harbour Dental Care wrote:',
    '> Dear Margaret Ellison,',
    '> Please keep the reference in the subject line.',
    '',
    '--xyz',
    'Content-Type: application/pdf; name="signed-form.pdf"',
    'Content-Disposition: attachment; filename="signed-form.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    pdf,
    '--xyz--',
    '',
  ].join('\r\n');
}

test('mail: set up the mailbox, email a consent request, the reply arrives by itself, confirm → consent by email; a later withdrawal email stops the scheduled post at once', async () => {
  const mail = await startMailServer();
  const fakes = await startFakes();
  process.env.PRACTICEPOST_FACEBOOK_GRAPH_URL = fakes.facebook;
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  let page;
  try {
    page = await openPage(browser, app, 'settings/brand');
    await setUpPractice(page, app);

    // Settings → Mailbox. The practice address comes from the brand kit.
    await page.goto(app.url + '#/settings/mailbox');
    await page.getByLabel('Practice email address').waitFor();
    assert.equal(await page.getByLabel('Practice email address').inputValue(), 'hello@harbourdental.example');
    for (const [proto, port] of [['IMAP', mail.imap], ['SMTP', mail.smtp]]) {
      await page.getByLabel(`${proto} server`).fill('127.0.0.1');
      await page.getByRole('combobox', { name: `${proto} security`, exact: true }).click();
      await page.getByRole('option', { name: 'None (local only)' }).click();
      await page.getByLabel(`${proto} port`).fill(String(port));
    }
    await page.getByLabel('User name').fill(mail.user);

    // A wrong password: the test says so, under the password field.
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('mail-test-result');
    await result.waitFor();
    assert.match(await result.innerText(), /did not accept the user name and password/);
    const pwField = page.getByLabel('Password', { exact: true });
    assert.match(await fieldError(page, pwField), /did not accept the user name and password/, 'shown under the password field');

    // Remote host with no encryption is refused next to the security field.
    await page.getByLabel('IMAP server').fill('imap.example.com');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('only allows it to this computer').first().waitFor();
    assert.match(await fieldError(page, page.getByRole('combobox', { name: 'IMAP security', exact: true })), /only allows it to this computer/);
    await page.getByLabel('IMAP server').fill('127.0.0.1');

    await pwField.fill(mail.password);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('The mailbox works').waitFor();
    await page.getByRole('button', { name: 'Save mailbox' }).click();
    await page.getByText(/Watching hello@harbourdental\.example for replies/).waitFor({ timeout: 20000 });
    await screenshot(page, 'mail-settings');

    // A patient, then "Ask for consent" → "By email".
    await addPatient(page, app, 'Margaret Ellison', '1951-04-09', 'm.ellison@example.com');
    await page.getByRole('button', { name: 'Ask for a testimonial' }).waitFor();
    await page.getByRole('button', { name: 'Ask for consent' }).click();
    await page.getByRole('menuitem', { name: 'By email' }).click();
    await page.getByTestId('request-quote').fill('After years of hiding my smile, I laugh in photos again. The whole team was patient and kind.');
    // The note is the one part of the email the manager writes: the gate
    // reads it before anything is recorded or sent. Her own name is hers
    // to read; her NHS number does not go by email.
    const noteField = page.getByLabel('Personal note (optional)');
    await noteField.fill('Margaret Ellison, we have your NHS number 943 476 5919 on file if you need it.');
    await page.getByRole('button', { name: 'Send consent request' }).click();
    await page.getByText('This email was not sent').waitFor({ timeout: 10000 });
    const noteError = await fieldError(page, noteField);
    assert.match(noteError, /personal note contains an NHS number \(943 476 5919\)/, 'shown under the note');
    assert.doesNotMatch(noteError, /Margaret Ellison \(/, 'her own name is not a finding');
    assert.equal(((await mail.sent()) ?? []).length, 0, 'nothing reached the mail server');
    await page.mouse.move(0, 0);
    await shots(page, 'mail-note-refused', page.getByText('This email was not sent'));
    await noteField.fill('Thank you for your kind words at your check-up.');
    await page.getByRole('button', { name: 'Send consent request' }).click();
    const sentNote = page.getByTestId('email-request-sent');
    await sentNote.waitFor({ timeout: 20000 });
    const token = /PP-[0-9A-Z]{6}/.exec(await sentNote.innerText())[0];

    // What reached the SMTP server: token in subject and header, the form attached.
    const outbox = await mail.sent();
    assert.equal(outbox.length, 1);
    const sent = outbox[0];
    assert.equal(header(sent, 'X-Practicepost-Request'), token);
    assert.ok(sent.includes(`[${token}]`), 'the token is in the subject');
    assert.match(sent, /Content-Type: application\/pdf/i);
    assert.match(sent, /Consent form\.pdf/);

    // The patient replies; the app picks it up by itself (no button pressed).
    const reply = patientReply(sent, 'Margaret Ellison <m.ellison@example.com>');
    await mail.deliver(reply);
    const badge = page.getByTestId('replies-badge');
    await badge.waitFor({ timeout: 30000 });
    assert.equal((await badge.innerText()).trim(), '1');

    await page.getByText('Email replies', { exact: true }).first().click();
    const detail = page.getByTestId('reply-detail');
    await detail.waitFor();
    await detail.getByText('happy to help').waitFor();
    await detail.getByTestId('reply-attachments').getByText('signed-form.pdf').waitFor();
    assert.equal(await detail.getByRole('checkbox', { name: 'Facebook', exact: true }).isChecked(), true);
    assert.equal(await detail.getByRole('checkbox', { name: 'Instagram', exact: true }).isChecked(), true);
    assert.equal(await detail.getByRole('checkbox', { name: 'My first name only' }).isChecked(), true);
    assert.equal(await detail.getByRole('checkbox', { name: 'Paid or boosted adverts on the channels I ticked' }).isChecked(), false);
    // What the reply left blank or left out can never be ticked.
    assert.equal(await detail.getByRole('checkbox', { name: 'Paid or boosted adverts on the channels I ticked' }).isDisabled(), true);
    assert.equal(await detail.getByRole('checkbox', { name: 'LinkedIn', exact: true }).isDisabled(), true);
    // She signed with the name she goes by, not the one on record: the
    // manager must say how they confirmed it before the consent is signed.
    assert.equal(await detail.getByLabel('Signed with the name').inputValue(), 'Maggie Ellison');
    await detail.getByTestId('name-check').waitFor();
    await detail.getByText(/signed “Maggie Ellison”, not the name on record/).waitFor();
    assert.equal(await page.getByRole('button', { name: /Confirm consent/ }).count(), 1);
    // Most boxes are missing from the reply: held until the manager records how it was settled.
    await detail.getByTestId('resolution').waitFor();
    assert.equal(await page.getByRole('button', { name: /Confirm consent/ }).isDisabled(), true);
    // A fresh load, so the "sent" toasts from before do not cover the screen.
    await page.reload();
    await detail.getByText('happy to help').waitFor();
    await screenshot(page, 'mail-review-queue');
    await page.screenshot({ path: join(artifacts, 'mail-review-queue-full.png'), fullPage: true });

    // Nothing is consent yet.
    await page.goto(app.url + '#/consents');
    await page.getByText('Privacy notice web address').or(page.getByText('No consents')).first().waitFor({ timeout: 5000 }).catch(() => undefined);
    assert.equal(await page.getByText('Signed by email').count(), 0, 'no consent before confirmation');

    // Correct the reading (the manager spoke to the patient: no Instagram) and confirm.
    await page.goto(app.url + '#/replies');
    await detail.waitFor();
    await detail.getByLabel('How it was settled').fill('Phoned Margaret: Facebook only, not Instagram');
    await detail.getByLabel('Who', { exact: true }).fill('Sam at reception');
    await detail.getByLabel('When', { exact: true }).fill('22 Nov 2026, 11:00');
    await detail.getByRole('checkbox', { name: 'Instagram', exact: true }).uncheck();
    // Still held for the name: the button says why.
    assert.equal(await page.getByRole('button', { name: /Confirm with my corrections/ }).isDisabled(), true);
    await detail.getByText('Say how you confirmed the name first.').waitFor();
    await shots(page, 'mail-name-check', detail.getByTestId('name-check'));
    await detail.getByLabel('How you confirmed the name they sign with').fill('Asked on the same call: she signs as Maggie');
    await page.getByRole('button', { name: 'Confirm with my corrections' }).click();
    await page.getByTestId('reply-decision').getByText('Confirmed: consent recorded').waitFor();
    assert.equal(await page.getByTestId('replies-badge').count(), 0, 'the badge goes once nothing waits');
    await page.getByRole('link', { name: 'Open the consent' }).or(page.getByText('Open the consent')).first().click();
    await page.getByRole('heading', { name: /^Consent #\d+$/ }).waitFor();
    await page.getByText('Signed by email').first().waitFor();
    assert.equal(await page.getByTestId('choice-facebook').getAttribute('data-ticked'), 'true');
    assert.equal(await page.getByTestId('choice-instagram').getAttribute('data-ticked'), 'false');
    await screenshot(page, 'mail-consent-by-email');

    // The form promised her a copy: emailed from the consent's page, as the
    // PDF she signed, and recorded there.
    const consentUrl = page.url();
    await page.goto(app.url + '#/home');
    const due = page.getByTestId('copies-due');
    await due.getByText(/Margaret Ellison: signed by email on/).waitFor();
    await shots(page, 'mail-copies-due-home', due);
    await due.getByRole('link', { name: "Open Margaret Ellison's consent" }).click();
    await page.waitForURL(consentUrl);
    const copy = page.getByTestId('patient-copy');
    await copy.getByText('The form promises the patient a copy').waitFor();
    await shots(page, 'mail-patient-copy-due', copy);
    const sentBefore = (await mail.sent()).length;
    await copy.getByRole('button', { name: 'Email it to m.ellison@example.com' }).click();
    await copy.getByText('Given', { exact: true }).waitFor();
    await copy.getByTestId('copy-history').getByText(/Emailed to m\.ellison@example\.com/).waitFor();
    const copyMail = (await mail.sent()).at(-1);
    assert.equal((await mail.sent()).length, sentBefore + 1, 'one email for the copy');
    assert.match(copyMail, /Subject: (=\?utf-8\?q\?)?Your[_ ]signed[_ ]consent[_ ]form/);
    assert.match(copyMail, /Content-Type: application\/pdf/);
    assert.doesNotMatch(copyMail, /PP-[0-9A-Z]{6}/, 'the copy asks nothing, so carries no request reference');
    await page.reload();
    await shots(page, 'mail-patient-copy', copy);
    assert.deepEqual(await call(page, 'MailService', 'CopiesDue'), [], "Home's reminder goes once the copy is emailed");

    // A post quoting her testimonial, scheduled on Facebook for the day
    // after tomorrow: Facebook holds it until then.
    await page.goto(app.url + '#/channels');
    await connectFacebook(page, fakes);
    const tm = (await call(page, 'TestimonialService', 'List')).find((t) => t.testimonial.consentId > 0);
    assert.ok(tm, 'the consent by email bound its testimonial');
    const post = await call(page, 'DraftService', 'Create', {
      id: 0, title: 'Margaret’s smile', body: `“${tm.testimonial.quote}” — Margaret`, versions: {}, channels: ['facebook'], hashtags: [], link: '',
      utm: false, campaign: '', pillar: 'testimonial', media: [], testimonials: [tm.testimonial.id], paid: false, localTime: '', awarenessId: '',
    });
    const day = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
    await call(page, 'PublishService', 'Publish', { draftId: post.draft.id, channels: [], date: day, clock: '09:00' });
    const jobState = async () => (await call(page, 'PublishService', 'Jobs', post.draft.id))[0]?.state;
    for (let until = Date.now() + 20000; (await jobState()) !== 'scheduled_remote'; await new Promise((r) => setTimeout(r, 200))) {
      assert.ok(Date.now() < until, `the post was not handed to Facebook: ${await jobState()}`);
    }

    // The same message again (a copy, a resync) is not queued twice.
    await mail.deliver(reply);
    await page.goto(app.url + '#/replies');
    const before = await page.getByTestId('mail-status').innerText();
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.waitForFunction((b) => document.querySelector('[data-testid=mail-status]')?.innerText !== b, before, { timeout: 20000 })
      .catch(() => undefined); // the "last checked" minute may not change
    await page.getByText('No replies waiting').waitFor();
    assert.equal(await page.getByTestId('replies-badge').count(), 0);
    await page.getByText('Confirmed', { exact: true }).click();
    await page.getByTestId('reply-row').first().waitFor();
    await page.getByTestId('reply-decision').waitFor();
    assert.equal(await page.getByTestId('reply-row').count(), 1, 'one reply, confirmed once');

    // Weeks later Margaret writes back to the same email asking to withdraw:
    // her consent is on hold at once and Home shows it as urgent until the
    // manager confirms the withdrawal.
    await mail.deliver([
      ...replyHeaders(sent, 'Margaret Ellison <m.ellison@example.com>', token, 'withdraw'),
      'Content-Type: text/plain; charset=utf-8',
      '',
      "Hello, I've changed my mind, please take my photo and words down. Margaret",
      '',
    ].join('\r\n'));
    await page.goto(app.url + '#/home');
    const holds = page.getByTestId('withdrawal-holds');
    await holds.waitFor({ timeout: 30000 });
    await holds.getByText(/changed my mind/).waitFor();
    await screenshot(page, 'mail-withdrawal-home');
    // The hold stopped the scheduled post at once: Facebook no longer holds it.
    for (let until = Date.now() + 20000; (await jobState()) !== 'blocked'; await new Promise((r) => setTimeout(r, 200))) {
      assert.ok(Date.now() < until, `the scheduled post was not stopped: ${await jobState()}`);
    }
    for (let until = Date.now() + 20000; ; await new Promise((r) => setTimeout(r, 200))) {
      const fb = (await fakes.control('/state', 'GET')).facebook ?? [];
      if (fb.length === 1 && fb[0].Deleted) break;
      assert.ok(Date.now() < until, `Facebook still holds the post: ${JSON.stringify(fb.map((p) => ({ id: p.ID, deleted: p.Deleted })))}`);
    }
    await page.goto(app.url + '#/consents');
    await page.getByTestId('consent-status').getByText('On hold').first().waitFor();
    await page.goto(app.url + '#/home');
    await holds.waitFor();
    await holds.getByRole('button', { name: 'Confirm withdrawal' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Record the withdrawal' }).click();
    await holds.waitFor({ state: 'detached', timeout: 10000 });
    await page.goto(app.url + '#/consents');
    await page.getByTestId('consent-status').getByText('Withdrawn').first().waitFor();

    // A request to a mistyped address comes back from the patient's mail
    // server: the patient's page says so, with why and what to do.
    await addPatient(page, app, 'Ada Quinn', '1980-02-03', 'ada.quin@example.com');
    const ada = (await call(page, 'PatientService', 'List', 'Ada Quinn'))[0].patient;
    await call(page, 'MailService', 'SendTestimonialRequest', ada.id, '');
    const out = (await mail.sent()).at(-1);
    const headers = out.replace(/\r\n/g, '\n').split('\n\n')[0];
    await mail.deliver([
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>', 'To: hello@harbourdental.example',
      'Subject: Undelivered Mail Returned to Sender', 'Message-ID: <bounce-1@mx.example.com>',
      `Date: ${new Date().toUTCString()}`, 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain', '', 'Your message could not be delivered.', '',
      '--b1', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.com', '',
      'Final-Recipient: rfc822; ada.quin@example.com', 'Action: failed', 'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <ada.quin@example.com>: Recipient address rejected: User unknown', '',
      '--b1', 'Content-Type: text/rfc822-headers', '', headers, '', '--b1--', '',
    ].join('\r\n'));
    await page.goto(app.url + '#/patients');
    await page.getByTestId('patient-table').getByText('Ada Quinn').click();
    await page.getByRole('heading', { name: 'Ada Quinn' }).waitFor();
    const returned = page.getByText('Came back undelivered');
    for (let until = Date.now() + 30000; !(await returned.count()); await new Promise((r) => setTimeout(r, 500))) {
      assert.ok(Date.now() < until, 'the returned request is not marked on the patient page');
      await call(page, 'MailService', 'CheckNow');
    }
    await page.getByText(/the address does not exist at the patient's mail provider \(ada\.quin@example\.com\)/).waitFor();
    await shots(page, 'mail-request-returned', returned);

    // The mailbox password is changed at the provider: Home says replies
    // (and so withdrawals) are not being picked up, and where to fix it.
    const settings = await call(page, 'MailService', 'Settings');
    await call(page, 'MailService', 'SaveSettings', { settings: settings.settings, password: 'not the password any more' });
    await call(page, 'MailService', 'CheckNow').catch(() => undefined);
    await page.goto(app.url + '#/home');
    const trouble = page.getByTestId('mailbox-trouble');
    await trouble.getByText(/withdraw their consent by email/).waitFor({ timeout: 30000 });
    await shots(page, 'mail-trouble-home', trouble);
    await trouble.getByRole('button', { name: 'Mailbox settings' }).click();
    await page.waitForURL(/#\/settings\/mailbox$/);
  } catch (e) {
    // Leave a picture of the screen that failed, for whoever reads the log.
    await page?.screenshot({ path: join(artifacts, 'mail-failure.png'), fullPage: true }).catch(() => undefined);
    throw e;
  } finally {
    await browser.close();
    await app.stop();
    mail.stop();
    fakes.stop();
  }
});
