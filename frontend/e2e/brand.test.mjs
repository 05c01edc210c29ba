import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { checkerPNG, tmpFile } from './setup.mjs';

// A real 120×60 PNG (a checkerboard in two brand colours).
const logoPNG = Buffer.from(checkerPNG, 'base64');

test('brand kit: fill, upload a logo, restart, everything persists', async () => {
  const home = newHome();
  let app = await startApp(home);
  let browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await page.getByLabel('Practice name').fill('Harbour Dental Care');
    await page.getByLabel('Address').fill('12 Quay Street, Falmouth TR11 3HH');
    await page.getByLabel('Phone').fill('01326 960 123');
    await page.getByLabel('Website').fill('https://www.harbourdental.example');
    await page.getByRole('button', { name: 'Add clinician' }).click();
    await page.getByLabel('Clinician 1 name').fill('Dr Amy Shah');
    await page.getByLabel('Clinician 1 role').fill('Dentist');
    await page.locator('input[aria-label="Clinician 1 regulator"]').click();
    await page.getByRole('option', { name: 'GDC', exact: true }).click();
    await page.getByLabel('Clinician 1 registration number').fill('123456');
    await page.getByLabel('Standard disclaimer').fill('General information, not medical advice.');
    const tags = page.getByRole('combobox', { name: 'Default hashtags' });
    await tags.fill('#FalmouthDentist');
    await tags.press('Enter');
    await page.getByLabel('Primary', { exact: true }).fill('#1D4E89');
    await page.getByLabel('Primary', { exact: true }).press('Tab');

    await page.getByTestId('logo-dropzone').locator('input[type=file]').setInputFiles(tmpFile('logo.png', logoPNG));
    await page.getByTestId('logo-preview').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('All changes saved.').waitFor();
    await page.getByTestId('nav-practice-name').getByText('Harbour Dental Care').waitFor();
    await screenshot(page, 'brand-kit-filled');
  } finally {
    await browser.close();
    await app.stop();
  }

  // Quit and start again on the same data folder.
  app = await startApp(home);
  browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await page.getByLabel('Practice name').waitFor();
    assert.equal(await page.getByLabel('Practice name').inputValue(), 'Harbour Dental Care');
    assert.equal(await page.getByLabel('Phone').inputValue(), '01326 960 123');
    assert.equal(await page.getByLabel('Clinician 1 name').inputValue(), 'Dr Amy Shah');
    assert.equal(await page.locator('input[aria-label="Clinician 1 regulator"]').inputValue(), 'GDC');
    assert.equal(await page.getByLabel('Clinician 1 registration number').inputValue(), '123456');
    assert.equal(await page.getByLabel('Primary', { exact: true }).inputValue(), '#1D4E89');
    await page.getByText('#FalmouthDentist').waitFor();
    await page.getByTestId('logo-preview').waitFor();
    await screenshot(page, 'brand-kit-after-restart');
  } finally {
    await browser.close();
    await app.stop();
  }
});

test('brand kit: a text file named logo.png is refused and the old logo stays', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/brand');
    const input = page.getByTestId('logo-dropzone').locator('input[type=file]');
    await input.setInputFiles(tmpFile('logo.png', logoPNG));
    const preview = page.getByTestId('logo-preview');
    await preview.waitFor();
    const before = await preview.getAttribute('src');

    await input.setInputFiles(tmpFile('logo.png', 'Dear patient, this is a letter, not a picture.\n'));
    const err = page.getByTestId('logo-error');
    await err.waitFor();
    assert.match(await err.innerText(), /logo\.png is not a PNG or JPEG image/);
    assert.match(await err.innerText(), /Export it again as PNG or JPEG/);
    assert.equal(await preview.getAttribute('src'), before, 'the previous logo must stay');
    await screenshot(page, 'brand-kit-bad-logo');
  } finally {
    await browser.close();
    await app.stop();
  }
});

test('brand kit: a bad colour is explained and nothing is saved', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await page.getByLabel('Practice name').fill('Kept Name');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('All changes saved.').waitFor();
    await page.getByLabel('Practice name').fill('Should Not Stick');
    await page.getByLabel('Website').fill('harbourdental');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Enter the website as a full address').first().waitFor();
    await page.reload();
    await page.getByLabel('Practice name').waitFor();
    assert.equal(await page.getByLabel('Practice name').inputValue(), 'Kept Name');
  } finally {
    await browser.close();
    await app.stop();
  }
});

test('backup, change the name, restore: the old name is back', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  const folder = mkdtempSync(join(tmpdir(), 'pp-backups-'));
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await page.getByLabel('Practice name').fill('Original Physio');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('All changes saved.').waitFor();

    await page.getByRole('tab', { name: 'Backup' }).click();
    await page.getByTestId('backup-folder').fill(folder);
    await page.getByRole('button', { name: 'Use this folder' }).click();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByText('Backup made').waitFor();
    const list = page.getByTestId('backup-list');
    await list.getByText(/^PracticePost .*\.ppbackup$/).waitFor();
    await screenshot(page, 'backup-made');

    await page.getByRole('tab', { name: 'Practice & brand' }).click();
    await page.getByLabel('Practice name').fill('Renamed Physio');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('All changes saved.').waitFor();
    await page.getByTestId('nav-practice-name').getByText('Renamed Physio').waitFor();

    await page.getByRole('tab', { name: 'Backup' }).click();
    const row = page.getByTestId('backup-list').getByRole('row').filter({ hasText: /^PracticePost / });
    await row.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click();
    await page.getByText('Data restored').waitFor();
    await page.getByTestId('nav-practice-name').getByText('Original Physio').waitFor();
    await screenshot(page, 'backup-restored');

    await page.getByRole('tab', { name: 'Activity' }).click();
    await page.getByTestId('activity-table').getByText('Data restored from a backup').waitFor();
    await page.getByRole('button', { name: 'Verify integrity' }).click();
    assert.match(await page.getByTestId('verify-result').innerText(), /entries are intact/);
    await screenshot(page, 'activity');
  } finally {
    await browser.close();
    await app.stop();
  }
});

test('consent wording: an edit that drops a required element is refused and explained; a good edit becomes version 2', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/consent-wording');
    const panel = page.getByTestId('consent-wording-panel');
    await panel.waitFor();
    await panel.getByTestId('wording-version').filter({ hasText: 'Version 1' }).waitFor();
    const editor = panel.getByLabel('Form text (Markdown)');
    const shipped = await editor.inputValue();
    assert.match(shipped, /\{\{patient_name\}\}/);
    const save = panel.getByRole('button', { name: 'Save', exact: true });
    assert.equal(await save.isDisabled(), true, 'nothing to save yet');

    // Dropping the channel boxes is refused, the text stays as typed, nothing is stored.
    const broken = shipped.replace('{{channel_choices}}', '');
    await editor.fill(broken);
    await save.click();
    const problems = panel.getByTestId('wording-problems');
    await problems.waitFor();
    assert.match(await problems.innerText(), /channel/i);
    assert.equal(await editor.inputValue(), broken);
    await screenshot(page, 'consent-wording-refused');
    await page.reload();
    await panel.getByTestId('wording-version').filter({ hasText: 'Version 1' }).waitFor();

    // A real edit is saved as version 2, and it survives a reload.
    const line = 'We will never use your words to advertise anything but our own care.';
    await editor.fill(shipped.replace('{{channel_choices}}', `{{channel_choices}}\n\n${line}`));
    await save.click();
    await panel.getByTestId('wording-version').filter({ hasText: 'Version 2' }).waitFor();
    await page.reload();
    await panel.getByTestId('wording-version').filter({ hasText: 'Version 2' }).waitFor();
    assert.ok((await editor.inputValue()).includes(line));
    await screenshot(page, 'consent-wording-saved');
  } finally {
    await browser.close();
    await app.stop();
  }
});
