import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkA11y, launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { call } from './fakes.mjs';
import { startMailServer } from './mailbox.mjs';
import { adaQuote, drawSignature, recordAdaPaperConsent, saveBrandKit, wallClock } from './setup.mjs';

/** The activity log has the approval, and none of the new words (word is one of them). */
async function approvalLogged(page, word) {
  const log = await call(page, 'ActivityService', 'List', 0, 80);
  const approve = log.entries.find((e) => e.action === 'quote.approve');
  assert.ok(approve, 'the approval is in the activity log');
  assert.ok(!JSON.stringify(approve).includes(word), 'the log records the approval, not the words');
}

/** A UK practice with Ada's paper consent for Facebook signed today; returns its testimonial view. */
async function adaSignedForFacebook(page) {
  await saveBrandKit(page);
  await call(page, 'CalendarService', 'SaveSettings', 'Europe/London', ['dental']);
  const cons = await recordAdaPaperConsent(page, { channels: ['facebook'], signedOn: wallClock('Europe/London', Date.now()).date });
  const tm = (await call(page, 'TestimonialService', 'List')).find((t) => t.testimonial.consentId === cons.id);
  return { tm };
}

async function both(page, name, show) {
  for (const [w, h] of [[1280, 800], [1024, 700]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(200);
    // A resize can move what the shot is of out of a scrolling dialog.
    if (show) await show.scrollIntoViewIfNeeded();
    await screenshot(page, `${name}-${w}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/**
 * Opens a testimonial card's menu and waits until it shows and holds the
 * focus: a missing item counted before then proves nothing, and Mantine's
 * menu hears Escape only from inside it, so an Escape pressed before the
 * focus moves in closes nothing.
 */
async function openMenu(page, card) {
  await card.getByTestId('testimonial-menu').click();
  await page.getByTestId('testimonial-edit').waitFor();
  await page.waitForFunction(() => document.activeElement?.closest('[role="menu"]') != null);
}

// A testimonial is edited from its card; deleting one a post quotes is
// refused with the post named, and works once the post no longer quotes it.
// The Facebook guide's drawn steps open from Channels.
test('testimonial edit and delete; the drawn Facebook steps', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'testimonials');
    const p = await call(page, 'PatientService', 'Create', {
      fullName: 'Maud Finch', dateOfBirth: '1962-02-03', email: 'maud@example.com', phone: '', ref: '', needsRepresentative: false,
    });
    const tv = await call(page, 'TestimonialService', 'Create', {
      patientId: p.patient.id, consentId: 0, quote: 'Kind and quick.', source: 'email', saidOn: '', nameAs: 'first_name', showsFace: false, media: [],
    });
    const draft = await call(page, 'DraftService', 'Create', {
      id: 0, title: 'Friday smile', body: '“Kind and quick.”', versions: {}, channels: [], hashtags: [], link: '', utm: false,
      campaign: '', pillar: 'testimonial', media: [], testimonials: [tv.testimonial.id], paid: false, localTime: '', awarenessId: '',
    });
    await page.reload();
    const card = page.getByTestId('testimonial-card');
    await card.waitFor();

    await card.getByTestId('testimonial-menu').click();
    await page.getByTestId('testimonial-edit').click();
    const dlg = page.getByRole('dialog', { name: 'Edit the testimonial' });
    const words = dlg.getByLabel('What the patient said');
    assert.equal(await words.inputValue(), 'Kind and quick.');
    await words.fill('Kind, quick and gentle.');
    await both(page, 'testimonial-edit');
    await dlg.getByTestId('testimonial-save').click();
    await dlg.waitFor({ state: 'hidden' });
    await card.getByText('Kind, quick and gentle.').waitFor();

    await card.getByTestId('testimonial-menu').click();
    // The open menu is looked at (and axe reads it): its red "Delete…" once read at 3.3:1.
    await page.getByTestId('testimonial-delete').waitFor();
    await both(page, 'testimonial-menu');
    await page.getByTestId('testimonial-delete').click();
    await page.getByTestId('delete-testimonial-confirm').click();
    const refusal = page.getByTestId('delete-testimonial-error');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /“Friday smile” \(draft\) quotes it/);
    await both(page, 'testimonial-delete-refused');

    await call(page, 'DraftService', 'Save', { ...draft.draft, testimonials: [] });
    await page.getByTestId('delete-testimonial-confirm').click();
    await card.waitFor({ state: 'detached' });
    const log = await call(page, 'ActivityService', 'List', 0, 50);
    assert.ok(log.entries.some((e) => e.action === 'testimonial.delete'), 'the deletion is in the activity log');
    assert.ok(log.entries.some((e) => e.action === 'testimonial.edit'), 'the edit is in the activity log');

    await page.goto(app.url + '#/channels');
    await page.getByTestId('connect-facebook').click();
    await page.getByTestId('meta-sketches-toggle').click();
    await page.getByTestId('meta-sketches').waitFor();
    await page.getByTestId('meta-sketches').scrollIntoViewIfNeeded();
    await both(page, 'facebook-system-user-steps');
  } finally {
    await browser.close();
    await app.stop();
  }
});

// A signed testimonial shortened by the practice is blocked by the consent
// check until Ada approves the new words on this screen; after her signed
// approval the testimonial and a post quoting it pass the check.
test('edited words of a signed testimonial: blocked, approved by the patient on screen, then publishable', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/brand');
    const { tm } = await adaSignedForFacebook(page);
    await call(page, 'LockService', 'SetPIN', '2468', '2468');
    assert.ok(tm, 'the paper consent made its testimonial');
    const shorter = 'The whole team put me at ease.';
    const post = {
      id: 0, title: 'Ada’s crown', body: `“${shorter}” A.Q.`, versions: {}, channels: ['facebook'], hashtags: [], link: '', utm: false,
      campaign: '', pillar: 'testimonial', media: [], testimonials: [tm.testimonial.id], paid: false, localTime: '', awarenessId: '',
    };
    const consentKinds = async () => (await call(page, 'DraftService', 'Check', post)).findings.map((f) => f.kind).filter((k) => k.startsWith('consent_'));

    await page.goto(app.url + '#/testimonials');
    const card = page.getByTestId('testimonial-card');
    await card.getByText(adaQuote).waitFor();
    await openMenu(page, card);
    assert.equal(await page.getByTestId('testimonial-approve').count(), 0, 'no approval is offered for the signed words');
    await page.getByTestId('testimonial-edit').click();
    const dlg = page.getByRole('dialog', { name: 'Edit the testimonial' });
    await dlg.getByLabel('What the patient said').fill(shorter);
    await dlg.getByTestId('testimonial-save').click();
    await dlg.waitFor({ state: 'hidden' });
    await card.getByText(shorter, { exact: true }).waitFor();
    assert.equal(await card.getByTestId('testimonial-summary').innerText(), 'Blocked everywhere');
    assert.deepEqual(await consentKinds(), ['consent_quote_changed'], 'a post quoting the new words is blocked before approval');
    assert.equal(await card.getByTestId('words-approved').count(), 0, 'no approval is claimed before the patient gives it');

    await card.getByTestId('testimonial-menu').click();
    await page.getByTestId('testimonial-approve').click();
    const ask = page.getByTestId('approval-dialog');
    await ask.getByTestId('approval-length-only').waitFor();
    assert.match(await ask.getByTestId('quote-diff').locator('del').innerText(), /my new crown looks completely natural/);
    await screenshot(page, 'quote-approval-ask');
    await ask.getByTestId('approval-hand').click();

    const screen = page.getByTestId('approval-screen');
    await screen.waitFor();
    assert.match(await screen.getByTestId('approval-old').innerText(), /completely natural/);
    assert.match(await screen.getByTestId('approval-statement').innerText(), /only to make them shorter or to correct typing mistakes/);
    await both(page, 'quote-approval-screen');
    await screen.getByTestId('decline-quote').scrollIntoViewIfNeeded();
    await both(page, 'quote-approval-answer');
    // The rest of the app is out of reach while Ada holds the screen.
    const refused = await page.evaluate(() => window.go.service.TestimonialService.List().then(() => 'answered', (e) => String(e?.code ?? e)));
    assert.match(refused, /locked/);

    await screen.getByTestId('approval-typed-name').fill('Ada Quinn');
    await drawSignature(page, screen.getByTestId('signature-pad'));
    await screen.getByTestId('approve-quote').click();
    const done = page.getByTestId('approval-done');
    await done.waitFor();
    assert.equal(await done.getAttribute('data-outcome'), 'approved');
    await both(page, 'quote-approval-done');

    await page.getByRole('button', { name: 'Staff: unlock' }).click();
    await page.getByTestId('unlock-pin').fill('2468');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByText('New words approved', { exact: true }).waitFor();
    assert.match(page.url(), /#\/testimonials$/);
    await card.getByText(shorter, { exact: true }).waitFor();
    // The card says since when the new words are the patient's, day first for this UK practice.
    const today = wallClock('Europe/London', Date.now()).date;
    const ukDay = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(today + 'T00:00:00Z'));
    assert.equal(await card.getByTestId('words-approved').innerText(), `New words approved on ${ukDay}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="testimonial-summary"]')?.textContent !== 'Blocked everywhere');
    assert.deepEqual(await consentKinds(), [], 'the post quoting the approved new words passes the consent check');
    await openMenu(page, card);
    assert.equal(await page.getByTestId('testimonial-approve').count(), 0, 'nothing is left to approve');
    await page.keyboard.press('Escape');
    // The shots are of the card, not of a menu caught closing.
    await page.getByTestId('testimonial-delete').waitFor({ state: 'detached' });
    await both(page, 'quote-approval-after');

    await approvalLogged(page, 'ease');
  } finally {
    await browser.close();
    await app.stop();
  }
});

const header = (raw, name) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(raw)?.[1].trim() ?? '';

/** A patient's reply to the approval email sent, from the address given, threaded to it. */
function approvalReply(sent, from, id, words) {
  const mid = header(sent, 'Message-Id');
  const token = header(sent, 'X-Practicepost-Request');
  assert.match(token, /^PP-[0-9A-Z]{6}$/);
  return [
    `From: ${from}`,
    'To: Harbour Dental Care <hello@harbourdental.example>',
    `Subject: Re: [${token}] Please approve the new wording of your testimonial`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${id}-${Date.now()}@mail.example.com>`,
    `In-Reply-To: ${mid}`,
    `References: ${mid}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    ...words.split('\n'),
    '',
    'On Mon, 7 Dec 2026 at 10:00, Harbour Dental Care wrote:',
    '> Thank you for your testimonial.',
    '',
  ].join('\r\n');
}

// The email route: with no mailbox the button says why it cannot send; once
// the mailbox is connected the new words go to Ada, a yes from another
// address does not count, an unclear reply waits for the manager, and Ada's
// plain yes (after a second request) lets the post through.
test('edited words approved by email: sent from the dialog, replies read, the post passes after a yes', async () => {
  const mail = await startMailServer();
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/brand');
    const { tm } = await adaSignedForFacebook(page);
    const changed = 'The whole team was wonderful and my new crown looks great.';
    await call(page, 'TestimonialService', 'Update', tm.testimonial.id, { ...tm.testimonial, quote: changed });
    const post = {
      id: 0, title: 'Ada’s crown', body: `“${changed}” A.Q.`, versions: {}, channels: ['facebook'], hashtags: [], link: '', utm: false,
      campaign: '', pillar: 'testimonial', media: [], testimonials: [tm.testimonial.id], paid: false, localTime: '', awarenessId: '',
    };
    const consentKinds = async () => (await call(page, 'DraftService', 'Check', post)).findings.map((f) => f.kind).filter((k) => k.startsWith('consent_'));
    assert.deepEqual(await consentKinds(), ['consent_quote_changed']);

    const openDialog = async () => {
      // A fresh load: no dialog or toast left from before.
      await page.goto(app.url + '#/testimonials');
      await page.reload();
      await page.getByTestId('testimonial-card').getByTestId('testimonial-menu').click();
      await page.getByTestId('testimonial-approve').click();
      const dlg = page.getByTestId('approval-dialog');
      await dlg.getByTestId('approval-email').waitFor();
      return dlg;
    };

    // No mailbox: disabled, with the reason beside it.
    let dlg = await openDialog();
    const why = dlg.getByTestId('approval-send-why');
    await why.waitFor();
    assert.match(await why.innerText(), /No mailbox is connected.*Settings → Mailbox/);
    assert.equal(await dlg.getByTestId('approval-send-email').isDisabled(), true);
    await both(page, 'quote-approval-email-no-mailbox', dlg.getByTestId('approval-send-email'));
    await checkA11y(page, 'quote approval dialog without a mailbox');

    await call(page, 'MailService', 'SaveSettings', {
      settings: {
        imap: { host: '127.0.0.1', port: mail.imap, security: 'none' }, smtp: { host: '127.0.0.1', port: mail.smtp, security: 'none' },
        username: mail.user, fromAddress: 'hello@harbourdental.example', fromName: 'Harbour Dental Care', mailbox: 'INBOX',
        moveProcessed: false, processedMailbox: '',
      },
      password: mail.password,
    });

    // Sent: the email shows both texts; the dialog and the card say since when it waits.
    dlg = await openDialog();
    await dlg.getByTestId('approval-send-email').click();
    const status = dlg.getByTestId('email-approval-status');
    await status.waitFor();
    const today = await page.evaluate(() => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(new Date()));
    assert.equal((await status.innerText()).trim(), `Waiting for Ada’s reply since ${today}`);
    let outbox = await mail.sent();
    assert.equal(outbox.length, 1);
    let sent = outbox[0];
    const body = sent.replace(/=\r?\n/g, ''); // quoted-printable soft breaks
    assert.match(header(sent, 'X-Practicepost-Request'), /^PP-[0-9A-Z]{6}$/);
    assert.ok(body.includes('wonderful') && body.includes('completely natural'), 'the email shows the approved and the new words');
    assert.ok(body.includes('"I approve"'), 'the email says how to approve');
    await page.reload(); // no "sent" toast over the screenshots
    dlg = await openDialog();
    await dlg.getByTestId('email-approval-status').waitFor();
    await both(page, 'quote-approval-email-waiting', dlg.getByTestId('approval-send-email'));
    await checkA11y(page, 'quote approval dialog waiting for a reply');
    await page.keyboard.press('Escape');
    const card = page.getByTestId('testimonial-card');
    await card.getByTestId('email-approval-status').waitFor();
    assert.equal((await card.getByTestId('email-approval-status').innerText()).trim(), `Waiting for Ada’s reply since ${today}`);
    await both(page, 'quote-approval-card-waiting', card.getByTestId('email-approval-status'));

    // A yes from someone else: noted, not counted.
    await mail.deliver(approvalReply(sent, 'Someone <someone@example.net>', 'other', 'I approve'));
    await page.getByTestId('replies-badge').waitFor({ timeout: 30000 });
    dlg = await openDialog();
    await dlg.getByText(/someone@example\.net.*does not count/).waitFor();
    assert.deepEqual(await consentKinds(), ['consent_quote_changed'], 'a yes from another address does not approve');
    await page.keyboard.press('Escape');

    // Ada's unclear reply waits for the manager, who records it as not approving.
    await mail.deliver(approvalReply(sent, 'Ada Quinn <ada@example.com>', 'unclear', 'Yes, but could you say kind instead of wonderful?'));
    await card.getByTestId('email-approval-status').and(page.locator('[data-state="needs_look"]')).waitFor({ timeout: 30000 });
    dlg = await openDialog();
    await dlg.getByTestId('approval-reply-words').getByText('could you say kind instead').waitFor();
    assert.equal(await dlg.getByTestId('approval-reply-confirm').isDisabled(), true, 'not without saying how');
    await both(page, 'quote-approval-email-reply', dlg.getByTestId('approval-reply-confirm'));
    await checkA11y(page, 'quote approval dialog with an unclear reply');
    await dlg.getByTestId('approval-reply-decline').click();
    await dlg.getByTestId('email-approval-status').and(page.locator('[data-state="declined"]')).waitFor();
    assert.equal((await dlg.getByTestId('email-approval-status').innerText()).trim(), `Declined on ${today}`);
    assert.deepEqual(await consentKinds(), ['consent_quote_changed'], 'a declined reply does not approve');

    // Asked again, Ada says yes from her address: recorded by itself.
    await dlg.getByTestId('approval-send-email').click();
    await dlg.getByTestId('email-approval-status').and(page.locator('[data-state="waiting"]')).waitFor();
    outbox = await mail.sent();
    sent = outbox[outbox.length - 1];
    await page.keyboard.press('Escape');
    await mail.deliver(approvalReply(sent, 'Ada Quinn <ada@example.com>', 'yes', 'I approve.\n\nThanks,\nAda'));
    const approved = card.getByTestId('email-approval-status').and(page.locator('[data-state="approved"]'));
    await approved.waitFor({ timeout: 30000 });
    assert.equal((await approved.innerText()).trim(), `Approved by email on ${today}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="testimonial-summary"]')?.textContent !== 'Blocked everywhere');
    assert.deepEqual(await consentKinds(), [], 'the post passes the consent check after the emailed yes');
    await page.reload();
    await approved.waitFor();
    await both(page, 'quote-approval-card-approved', approved);
    await checkA11y(page, 'testimonials with an emailed approval');
    await approvalLogged(page, 'wonderful');
  } finally {
    await browser.close();
    await app.stop();
    mail.stop();
  }
});
