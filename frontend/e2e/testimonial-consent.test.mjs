import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifacts, launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { call } from './fakes.mjs';
import { addPatient, addWaitingTestimonial, checkerPNG, setFirstPin, setUpPractice, signFirstNameOnFacebook, tmpFile, unlockToConsent } from './setup.mjs';

// The patient's photo: a real 120×60 PNG.
const photoPNG = Buffer.from(checkerPNG, 'base64');

const quote = 'After years of hiding my smile, I laugh in photos again. The whole team was patient and kind.';

test('testimonial waiting for consent: ask for consent on screen, sign, the same testimonial is publishable where consented', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  let page;
  try {
    page = await openPage(browser, app, 'settings/brand');
    await setUpPractice(page, app);

    await addPatient(page, app, 'Margaret Ellison', '1951-04-09', 'm.ellison@example.com');
    await addPatient(page, app, 'Tom Reyes', '1988-10-30', 'tom.reyes@example.com');
    await addWaitingTestimonial(page, app, 'Tom Reyes', 'Quick, painless and they explained everything. Booked my next check-up already.', 'Google review');
    await addWaitingTestimonial(page, app, 'Margaret Ellison', quote, 'Email reply', tmpFile('smile.png', photoPNG));

    // The list says plainly that neither may be published, and offers the ways to ask.
    await page.reload();
    const cards = page.getByTestId('testimonial-card');
    await cards.first().waitFor();
    assert.equal(await cards.count(), 2);
    assert.equal((await page.getByTestId('waiting-count').innerText()).trim(), '2 testimonials are waiting for consent.');
    const margaret = cards.filter({ hasText: 'Margaret Ellison' });
    assert.equal(await margaret.getAttribute('data-waiting'), 'true');
    assert.equal((await margaret.getByTestId('testimonial-summary').innerText()).trim(), 'Waiting for consent');
    assert.match(await margaret.getByTestId('waiting-note').innerText(), /Waiting for consent: not publishable anywhere\./);
    assert.equal(await margaret.locator('[data-testid^="verdict-"]').count(), 0, 'no per-channel grid before there is a consent');
    await screenshot(page, 'testimonials-waiting');
    await page.screenshot({ path: join(artifacts, 'testimonials-waiting-full.png'), fullPage: true });

    await margaret.getByTestId('ask-for-consent').click();
    const menu = page.getByRole('menu');
    for (const way of ['On this screen', 'By email', 'Already signed on paper']) await menu.getByRole('menuitem', { name: way }).waitFor();
    // Let the menu finish fading in before the picture.
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[role=menu]')).opacity === '1');
    await screenshot(page, 'testimonials-ask-menu');
    await menu.getByRole('menuitem', { name: 'On this screen' }).click();

    // The request page is prefilled: the exact words, the photo, the patient.
    await page.getByRole('heading', { name: 'Ask for consent for a testimonial' }).waitFor();
    const askHash = await page.evaluate(() => window.location.hash);
    assert.match(askHash, /^#\/patients\/\d+\/consent\/\d+\/screen$/);
    await page.getByTestId('for-testimonial').getByText("For Margaret Ellison's testimonial waiting for consent").waitFor();
    assert.equal(await page.getByTestId('request-quote').inputValue(), quote);
    assert.equal(await page.getByRole('combobox', { name: 'Photo 1 type' }).count(), 1, 'the testimonial photo is attached');
    assert.equal(await page.getByRole('combobox', { name: 'Photo 2 type' }).count(), 0);
    assert.match(await page.getByRole('img', { name: 'Photo 1' }).getAttribute('src'), /^\/media\/[0-9a-f]{64}$/);
    assert.equal(await page.getByText('← Margaret Ellison').count(), 1);
    assert.equal(await page.getByRole('radio', { name: 'On this screen' }).isChecked(), true);
    await page.screenshot({ path: join(artifacts, 'consent-request-for-testimonial-full.png'), fullPage: true });

    // Editing the words asks what the edit means; handing over without a choice is refused.
    await page.getByTestId('request-quote').fill(quote.replace('patient and kind', 'kind'));
    await page.getByTestId('words-edited').waitFor();
    await screenshot(page, 'consent-request-words-edited');
    await page.getByRole('button', { name: 'Hand to patient' }).click();
    await setFirstPin(page, '1357');
    await page.getByText('These words differ from the testimonial the patient gave').waitFor();
    assert.equal(await page.getByTestId('signing-screen').count(), 0, 'nothing is handed over while the words differ');
    await page.getByRole('button', { name: "Put the patient's original back" }).click();
    await page.getByTestId('words-edited').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('request-quote').inputValue(), quote);

    await page.getByRole('button', { name: 'Hand to patient' }).click();
    const signing = page.getByTestId('signing-screen');
    await signing.waitFor();
    await signing.getByText(quote).first().waitFor();
    await page.screenshot({ path: join(artifacts, 'consent-signing-for-testimonial-full.png'), fullPage: true });
    await signFirstNameOnFacebook(page, signing, 'Margaret Ellison');
    const consentNo = await unlockToConsent(page, '1357');

    // The same testimonial, no copy: publishable on Facebook, not on Instagram.
    await page.goto(app.url + '#/testimonials');
    await cards.first().waitFor();
    await page.getByTestId('waiting-count').filter({ hasText: '1 testimonial is waiting' }).waitFor();
    assert.equal(await cards.count(), 2, 'signing linked the waiting testimonial instead of adding one');
    assert.equal(await margaret.getAttribute('data-waiting'), 'false');
    assert.equal(await margaret.getByTestId('verdict-facebook').getAttribute('data-publishable'), 'true');
    assert.equal(await margaret.getByTestId('verdict-instagram').getAttribute('data-publishable'), 'false');
    assert.equal(await margaret.getByTestId('reason-instagram').innerText(), 'The consent does not cover Instagram.');
    assert.equal((await margaret.getByTestId('testimonial-summary').innerText()).trim(), '1 of 11 channels');
    await margaret.getByText(`Consent #${consentNo}`).waitFor();
    await margaret.getByText(quote).waitFor();
    const tom = cards.filter({ hasText: 'Tom Reyes' });
    assert.equal(await tom.getAttribute('data-waiting'), 'true', 'the other testimonial still waits');
    await screenshot(page, 'testimonials-after-consent');
    await page.screenshot({ path: join(artifacts, 'testimonials-after-consent-full.png'), fullPage: true });

    // It offers no "Ask for consent" any more; opening the old request says why none is needed.
    assert.equal(await margaret.getByTestId('ask-for-consent').count(), 0);
    await page.goto(app.url + askHash);
    await page.getByTestId('for-testimonial').getByText(`already covered by consent #${consentNo}`).waitFor();

    // The other ways open the same prefilled page on their own tab.
    for (const [way, tab, shows] of [['By email', 'By email', 'Set up the practice mailbox first'], ['Already signed on paper', 'Already signed on paper', 'Save paper consent']]) {
      await page.goto(app.url + '#/testimonials');
      await tom.getByTestId('ask-for-consent').click();
      await page.getByRole('menu').getByRole('menuitem', { name: way }).click();
      await page.getByTestId('for-testimonial').getByText("For Tom Reyes's testimonial waiting for consent").waitFor();
      assert.equal(await page.getByTestId('request-quote').inputValue(), 'Quick, painless and they explained everything. Booked my next check-up already.');
      assert.equal(await page.getByRole('radio', { name: tab }).isChecked(), true, `${way} opens its tab`);
      await page.getByText(shows).first().waitFor();
    }

    // A quote card from Margaret's testimonial: her approved words, and only the
    // naming her consent allows (first name); "Full name" is refused with the reason.
    await page.goto(app.url + '#/studio');
    await page.getByRole('heading', { name: 'Studio' }).waitFor();
    const preview = page.getByTestId('studio-preview');
    await preview.waitFor();
    const blank = await preview.getAttribute('src');
    await page.getByTestId('testimonial-picker').click();
    await page.getByRole('option', { name: /^Margaret Ellison: / }).click();
    const approved = page.getByTestId('quote-from-testimonial');
    await approved.waitFor();
    assert.equal(await approved.inputValue(), quote);
    await page.getByTestId('mode-refused-full_name').waitFor();
    assert.match(await page.getByTestId('consent-naming').innerText(), /first name/i);
    await page.locator('[aria-label="How the patient is named"]').getByText('First name', { exact: true }).click();
    // The preview draws her words and her first name.
    await page.waitForFunction((b) => document.querySelector('[data-testid=studio-preview]')?.getAttribute('src') !== b, blank);
    await page.getByText("Enter the patient's name").waitFor({ state: 'detached', timeout: 10000 });
    await screenshot(page, 'studio-from-testimonial');
    await page.getByRole('button', { name: 'Render all sizes' }).click();
    await page.getByTestId('sizes-panel').waitFor({ timeout: 60000 });
    await page.getByRole('button', { name: 'Keep in library' }).click();
    await page.getByLabel('Alt text').fill(`Quote card: “${quote}” Margaret, a patient.`);
    await page.getByRole('button', { name: 'Keep in library' }).click();
    await page.getByRole('button', { name: 'Kept in the library' }).waitFor();

    // A post whose only patient content is that card is held to her consent:
    // Instagram is blocked (not consented), Facebook alone is clear.
    const lib = await call(page, 'StudioService', 'Library', 20, 0);
    const card = lib.items.find((m) => m.sizeId === 'square');
    assert.ok(card, 'the square size is in the library');
    const made = await call(page, 'DraftService', 'Create', {
      id: 0, title: '', body: 'Kind words from a patient this week. Thank you!', versions: {}, channels: ['facebook', 'instagram'], hashtags: [],
      link: '', utm: false, campaign: '', pillar: 'testimonial', media: [{ mediaId: card.id, sha256: card.sha256, altText: card.altText }],
      testimonials: [], localTime: '', awarenessId: '',
    });
    await page.goto(app.url + '#/drafts/' + made.draft.id);
    const reasons = page.getByTestId('block-reasons');
    await reasons.waitFor({ timeout: 15000 });
    assert.match(await reasons.innerText(), /quote card/i);
    assert.match(await reasons.innerText(), /Instagram/);
    assert.equal(await page.getByRole('button', { name: 'Schedule' }).isDisabled(), true);
    await screenshot(page, 'draft-quote-card-blocked');
    await page.getByRole('checkbox', { name: 'Instagram', exact: true }).uncheck();
    await page.getByTestId('guard-status').getByText('All clear').waitFor({ timeout: 10000 });
  } catch (e) {
    await page?.screenshot({ path: join(artifacts, 'testimonial-consent-failure.png'), fullPage: true }).catch(() => undefined);
    throw e;
  } finally {
    await browser.close();
    await app.stop();
  }
});
