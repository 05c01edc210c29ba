import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newHome, openPage, shots, startApp } from './harness.mjs';
import { saveBrandKit, saveConsentSettings, sqlite as sql } from './setup.mjs';

// Settings kept in the data file that can no longer be read (a disk error,
// an edit from outside) must not close the only screen where they are
// entered: Consents, Settings → Mailbox and Settings → Media hosting open
// with the form empty and say why, and saving again puts things right.
test('damaged settings: each screen that enters them opens empty, says why, and saving mends it', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  let app2;
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await page.setViewportSize({ width: 1280, height: 900 });
    await saveBrandKit(page);
    await saveConsentSettings(page, app);
    await app.stop();

    const damaged = '{"cut off mid-write';
    for (const key of ['consent.settings', 'mail.settings', 'media_hosting']) {
      sql(app.home, `INSERT INTO app_state (key, value) VALUES ('${key}', '${damaged}') ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    }
    app2 = await startApp(app.home);
    const page2 = await openPage(browser, app2, 'consents');

    // Consents: the settings card opens by itself, with the reason first.
    const card = page2.getByRole('heading', { name: 'Consent settings' });
    await card.waitFor();
    await page2.getByText('The consent settings saved before could not be read. Enter them again below.', { exact: false }).waitFor();
    assert.equal(await page2.getByLabel('Privacy notice web address').inputValue(), '', 'the form starts empty');
    await shots(page2, 'damaged-consent-settings');
    assert.equal(sql(app2.home, "SELECT value FROM app_state WHERE key = 'consent.settings'"), damaged, 'opening the screen changed nothing');
    await page2.getByLabel('Privacy notice web address').fill('https://harbourdental.example/privacy');
    await page2.getByLabel('How patients can withdraw').fill('email privacy@harbourdental.example or tell reception');
    await page2.getByRole('button', { name: 'Save consent settings' }).click();
    await page2.getByText('Consent settings saved.').waitFor();
    assert.equal(await page2.getByText('could not be read').count(), 0, 'the notice is gone once saved');
    assert.match(sql(app2.home, "SELECT value FROM app_state WHERE key = 'consent.settings'"), /harbourdental\.example\/privacy/);

    // Settings → Mailbox: the form is there to fill in, under the notice.
    await page2.goto(app2.url + '#/settings/mailbox');
    const notice = page2.getByTestId('mailbox-notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), /could not be read\. Enter them again below, then test and save/);
    assert.equal(await page2.getByLabel('IMAP server').isEditable(), true);
    await shots(page2, 'damaged-mailbox');

    // Settings → Media hosting: no bucket in use, and the form to enter it.
    await page2.goto(app2.url + '#/settings/hosting');
    const msg = page2.getByTestId('hosting-message');
    await msg.waitFor();
    assert.match(await msg.innerText(), /could not be read, so no bucket is in use\. Enter the bucket again below/);
    assert.equal(await page2.getByLabel('Bucket name', { exact: true }).isEditable(), true);
    await shots(page2, 'damaged-hosting');
  } finally {
    await browser.close();
    await app2?.stop();
    await app.stop();
  }
});
