import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from './fakes.mjs';
import { launchBrowserInLocale, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { devEnv, recordAdaPaperConsent, saveBrandKit } from './setup.mjs';

// A day field's calendar worked with the keyboard alone (the WAI-ARIA date
// picker dialog), in the real app on a month-first computer for a UK
// practice: the withdrawal date in "Record a withdrawal of consent", a date
// field inside a dialog. And a toast raised while that dialog is open shows
// in the dialog, above its overlay, not dimmed in the sidebar beneath it.

/** "2026-12-07" n days on (UTC arithmetic on a civil day). */
function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The calendar's name for a day, a UK practice's: "Monday 7 December 2026". */
function fullDay(day) {
  const at = new Date(day + 'T00:00:00Z');
  const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(at);
  return `${weekday} ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at)}`;
}

/** "2026-12-07" as a UK practice types it: "07/12/2026". */
const ukTyped = (day) => day.split('-').reverse().join('/');

/** Presses Tab until the focused element's accessible name (aria-label, else its text) is name, at most n times. */
async function tabTo(page, name, n = 60) {
  for (let i = 0; i < n; i++) {
    await page.keyboard.press('Tab');
    if ((await focusedName(page)) === name) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

/** The focused element's name: its aria-label, else its label's text, else its own text. */
const focusedName = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el?.getAttribute('aria-label') ?? el?.labels?.[0]?.textContent ?? el?.textContent ?? '';
});

test('date picker: the withdrawal date chosen with the keyboard alone (Tab, Enter, arrows, Home, Escape) is the day saved; a toast raised in the dialog shows in it', async () => {
  // The development build's save dialog answers from this folder (main_dialogs_dev.go): Save PDF raises the toast.
  devEnv({ PRACTICEPOST_SAVE_DIR: mkdtempSync(join(tmpdir(), 'pp-save-')) });
  const app = await startApp(newHome());
  // Month-first computer: the calendar and the field must still be the UK practice's.
  const browser = await launchBrowserInLocale('en-US');
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await saveBrandKit(page);
    const consent = await recordAdaPaperConsent(page, { channels: ['facebook'], signedOn: '2026-01-05' });
    await page.goto(app.url + '#/consents/' + consent.id);
    await page.getByRole('heading', { name: `Consent #${consent.id}` }).waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => {
      window.__mouse = 0;
      for (const t of ['mousedown', 'mouseup', 'pointerdown', 'pointerup']) window.addEventListener(t, () => window.__mouse++, true);
      window.addEventListener('click', (e) => { if (e.detail > 0) window.__mouse++; }, true);
    });

    // Tab to "Record withdrawal", open it, Tab to the date's calendar button.
    await tabTo(page, 'Record withdrawal');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Record a withdrawal of consent' });
    const field = dialog.getByLabel('Date the withdrawal reached the practice', { exact: true });
    await field.waitFor();
    const today = await page.evaluate(() => new Intl.DateTimeFormat('en-CA').format(new Date()));
    assert.equal(await field.inputValue(), ukTyped(today), 'the field starts on today, day-first');
    const calendarButton = 'Pick from a calendar';
    await tabTo(page, calendarButton, 20);
    await page.keyboard.press('Enter');
    const picker = page.getByRole('dialog', { name: 'Calendar' });
    await picker.waitFor();
    // Both say which field they are for.
    assert.equal(await page.evaluate(() => document.getElementById(document.querySelector('[role=dialog][aria-label=Calendar]').getAttribute('aria-describedby'))?.textContent), 'Date the withdrawal reached the practice');
    // The focus is on the field's day, in the grid; arrows move it.
    await page.waitForFunction((n) => document.activeElement?.getAttribute('aria-label') === n, fullDay(today));
    for (const [key, day] of [['ArrowUp', addDays(today, -7)], ['ArrowLeft', addDays(today, -8)], ['ArrowLeft', addDays(today, -9)]]) {
      await page.keyboard.press(key);
      assert.equal(await focusedName(page), fullDay(day), `after ${key}`);
    }
    const moved = addDays(today, -9);
    // The grid is named by the month heading; a UK week starts on Monday.
    const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(moved + 'T00:00:00Z'));
    assert.equal(await page.evaluate(() => document.getElementById(document.querySelector('[role=grid]').getAttribute('aria-labelledby'))?.textContent), monthName);
    assert.equal(await picker.getByRole('grid').locator('th').first().textContent(), 'Mo');

    // A ring shows where the focus is; the calendar is whole on the screen at both sizes.
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor };
    });
    assert.ok(ring.style !== 'none' && ring.width >= 2, `the focused day has no ring: ${JSON.stringify(ring)}`);
    for (const [w, h] of [[1280, 800], [1024, 700]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(300);
      const box = await picker.boundingBox();
      assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= w && box.y + box.height <= h, `the calendar is cut off at ${w}×${h}: ${JSON.stringify(box)}`);
      // The focused day is the one drawn on top at its centre (nothing covers it).
      assert.equal(await page.evaluate(() => {
        const r = document.activeElement.getBoundingClientRect();
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === document.activeElement;
      }), true, `the focused day is covered at ${w}×${h}`);
      console.log('screenshot:', await screenshot(page, `date-picker-open-${w}`));
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    // Escape: the calendar closes, the dialog stays, the field is unchanged, the focus is back on the button.
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    assert.equal(await dialog.isVisible(), true, 'Escape in the calendar closed the dialog too');
    assert.equal(await field.inputValue(), ukTyped(today));
    assert.equal(await focusedName(page), calendarButton);

    // Again: a week back, Home to its Monday, Enter chooses it.
    await page.keyboard.press('Enter');
    await picker.waitFor();
    await page.waitForFunction((n) => document.activeElement?.getAttribute('aria-label') === n, fullDay(today));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Home');
    const monday = addDays(today, -7 - ((new Date(today + 'T00:00:00Z').getUTCDay() + 6) % 7));
    assert.match(fullDay(monday), /^Monday /);
    assert.equal(await focusedName(page), fullDay(monday));
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    assert.equal(await field.inputValue(), ukTyped(monday), 'the chosen day is not in the field, day-first');
    assert.equal(await focusedName(page), calendarButton);
    assert.equal(await page.evaluate(() => window.__mouse), 0, 'a mouse event was used');

    // A toast raised while the dialog is open (Save PDF, on the page behind
    // it, pressed by the test: the user could not reach it through the
    // overlay) shows in the dialog: on top, inside the dialog's box, in the
    // aria-modal tree a screen reader reads.
    await page.evaluate(() => [...document.querySelectorAll('button')].find((b) => b.textContent === 'Save PDF…').click());
    const toast = dialog.getByRole('alert').filter({ hasText: 'PDF saved' });
    await toast.waitFor();
    for (const [w, h] of [[1280, 800], [1024, 700]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(300);
      const seen = await page.evaluate(() => {
        const t = [...document.querySelectorAll('[role=alert]')].find((n) => n.textContent.includes('PDF saved'));
        const d = t.closest('[role=dialog]');
        const r = t.getBoundingClientRect();
        const b = d.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return { onTop: t.contains(top), inside: r.top >= b.top && r.bottom <= b.bottom + 1 && r.left >= b.left && r.right <= b.right, onScreen: r.top >= 0 && r.bottom <= innerHeight };
      });
      assert.deepEqual(seen, { onTop: true, inside: true, onScreen: true }, `the toast at ${w}×${h}`);
      console.log('screenshot:', await screenshot(page, `toast-in-dialog-${w}`));
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    // Back to the keyboard: how it reached the practice, then Record withdrawal.
    await field.focus();
    await tabTo(page, 'How it reached the practice', 5);
    // ArrowDown opens the list and highlights its first choice a frame
    // later; an Enter pressed before that frame chooses nothing, as it would
    // for a person that fast. So the test waits for the highlight, as a
    // person waits to see it, and then for the field to show the choice.
    await page.keyboard.press('ArrowDown');
    await page.locator('[role=option][data-combobox-selected]').waitFor();
    await page.keyboard.press('Enter');
    const howField = dialog.getByLabel('How it reached the practice', { exact: true });
    await page.waitForFunction((el) => el.value !== '', await howField.elementHandle(), { timeout: 5000 })
      .catch(() => assert.fail('no way it reached the practice was chosen'));
    await tabTo(page, 'Record withdrawal', 10);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    // What the app saved: the day chosen in the calendar.
    await page.getByTestId('revocation').waitFor();
    const saved = (await call(page, 'ConsentService', 'Get', consent.id)).consent.revocation;
    console.log('saved withdrawal:', JSON.stringify({ at: saved.at, on: saved.on }));
    // The toast moved back to the sidebar with its dialog still closes on time, and the next one shows there.
    const recorded = page.getByRole('navigation').getByRole('alert').filter({ hasText: 'Withdrawal recorded' });
    await recorded.waitFor({ timeout: 10000 });
    // It closes by itself (its timer survived the move), however long the steps above took.
    await page.getByRole('alert').filter({ hasText: 'PDF saved' }).waitFor({ state: 'detached', timeout: 15000 });
    assert.equal(saved.on, new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(monday + 'T00:00:00Z')));

    // A schedule's day (a new post): yesterday is unavailable, said so, and Enter does not take it.
    await page.goto(app.url + '#/drafts');
    await tabTo(page, 'New post');
    await page.keyboard.press('Enter');
    await page.getByTestId('draft-body').waitFor();
    await tabTo(page, calendarButton, 150);
    assert.equal(await page.evaluate(() => document.getElementById(document.activeElement.getAttribute('aria-describedby'))?.textContent), 'Day');
    await page.keyboard.press('Enter');
    await picker.waitFor();
    const practiceToday = await page.evaluate(() => document.activeElement?.dataset.date);
    assert.ok(practiceToday, 'the focus did not go to a day');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focusedName(page), fullDay(addDays(practiceToday, -1)));
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-disabled')), 'true');
    const why = await page.evaluate(() => document.getElementById(document.activeElement.getAttribute('aria-describedby'))?.textContent);
    assert.match(why ?? '', /^Days before today cannot be chosen/);
    await page.keyboard.press('Enter');
    assert.equal(await picker.isVisible(), true, 'Enter on a refused day closed the calendar');
    assert.equal(await page.getByTestId('draft-day').inputValue(), '');
    console.log('screenshot:', await screenshot(page, 'date-picker-refused-1280'));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('draft-day').inputValue(), ukTyped(addDays(practiceToday, 1)));
    assert.equal(await page.evaluate(() => window.__mouse), 0, 'a mouse event was used');
  } finally {
    await browser.close();
    await app.stop();
  }
});
