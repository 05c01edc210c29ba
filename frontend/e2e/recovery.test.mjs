import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, newHome, openPage, shots, startApp } from './harness.mjs';
import { addPatient } from './setup.mjs';

// Setup shows the recovery key once; a backup made on this computer then
// restores on a "new computer" (its own data folder and empty keychain)
// only with those words, and a data folder copied there opens only with
// them too.
test('recovery key: shown once at setup; moves the practice to a new computer', async () => {
  const home = newHome();
  const app = await startApp(home);
  const browser = await launchBrowser();
  let words;
  let backupName;
  try {
    const page = await openPage(browser, app);
    await page.getByText('Make your recovery key and keep it safe').waitFor();
    await page.goto(app.url + '#/settings/backup');
    await page.getByTestId('recovery-card').waitFor();
    await shots(page, 'recovery-none');
    await page.getByTestId('recovery-make').click();
    const dlg = page.getByRole('dialog', { name: 'Your recovery key' });
    await dlg.getByTestId('recovery-words').waitFor();
    words = await dlg.getByTestId('recovery-word').allInnerTexts();
    assert.equal(words.length, 14, `words shown: ${words}`);
    // Done waits until the manager says the words are kept; Escape does not close it.
    assert.equal(await dlg.getByTestId('recovery-done').isDisabled(), true);
    await page.keyboard.press('Escape');
    assert.equal(await dlg.isVisible(), true, 'Escape closed the only showing of the recovery key');
    await shots(page, 'recovery-words');
    await dlg.getByTestId('recovery-kept').check();
    await dlg.getByTestId('recovery-done').click();
    await dlg.waitFor({ state: 'hidden' });
    await page.getByTestId('recovery-made').waitFor();
    assert.equal(await page.getByTestId('recovery-make').count(), 0);

    await addPatient(page, app, 'Keziah Pendragon', '1971-02-03', 'keziah@example.com');
    await page.goto(app.url + '#/settings/backup');
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByText('Backup made').waitFor();
    const folder = await page.getByTestId('backup-folder').inputValue();
    backupName = readdirSync(folder).filter((n) => n.endsWith('.ppbackup')).sort().pop();
    assert.ok(backupName, `no backup in ${folder}`);

    // The new computer: a fresh install, an empty keychain.
    const newComputer = newHome();
    const app2 = await startApp(newComputer);
    try {
      const page2 = await openPage(browser, app2, 'settings/backup');
      const into = join(newComputer, 'from-old-pc');
      mkdirSync(into);
      copyFileSync(join(folder, backupName), join(into, backupName));
      await page2.getByTestId('backup-folder').fill(into);
      await page2.getByRole('button', { name: 'Use this folder' }).click();
      await page2.getByTestId('backup-list').getByText(backupName).waitFor();
      await page2.getByTestId('backup-list').getByRole('row', { name: new RegExp(backupName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })
        .getByRole('button', { name: 'Restore' }).click();
      await page2.getByRole('dialog', { name: 'Restore this backup?' }).getByRole('button', { name: 'Restore' }).click();
      const ask = page2.getByRole('dialog', { name: 'This backup needs your recovery key' });
      await ask.waitFor();
      await ask.getByTestId('recovery-input').fill(words.slice(0, 13).join(' '));
      await ask.getByTestId('restore-with-key').click();
      await ask.getByText('A recovery key has 14 words; you typed 13').waitFor();
      await shots(page2, 'recovery-restore-ask');
      // The first four letters of each word are enough.
      await ask.getByTestId('recovery-input').fill(words.map((w) => w.slice(0, 4).toUpperCase()).join('  '));
      await ask.getByTestId('restore-with-key').click();
      await page2.getByText('Data restored').waitFor();
      await page2.goto(app2.url + '#/patients');
      await page2.getByText('Keziah Pendragon').waitFor();
    } finally {
      await app2.stop();
    }

    // The whole data folder copied to a third computer: the start-up
    // screen asks for the recovery key, and the words open it.
    await app.stop();
    const third = newHome();
    for (const n of readdirSync(home)) {
      if (n.startsWith('practicepost.db')) copyFileSync(join(home, n), join(third, n));
    }
    const app3 = await startApp(third);
    try {
      const page3 = browser.context.pages()[0];
      await page3.goto(app3.url);
      await page3.getByRole('heading', { name: "Open your practice's data on this computer" }).waitFor();
      await shots(page3, 'recovery-startup');
      const j = words.findIndex((w) => w !== words[0]);
      const swapped = [...words];
      [swapped[0], swapped[j]] = [swapped[j], swapped[0]];
      await page3.getByTestId('recovery-input').fill(swapped.join(' '));
      await page3.getByTestId('recovery-open').click();
      await page3.getByText('one of them is wrong or two are swapped', { exact: false }).waitFor();
      await page3.getByTestId('recovery-input').fill(words.join(' '));
      await page3.getByTestId('recovery-open').click();
      await page3.getByText('Getting started').waitFor();
      await page3.goto(app3.url + '#/patients');
      await page3.getByText('Keziah Pendragon').waitFor();
    } finally {
      await app3.stop();
    }
  } finally {
    await browser.close();
    await app.stop();
  }
});
