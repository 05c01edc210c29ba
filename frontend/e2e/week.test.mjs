import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, connectMastodon, startFakes } from './fakes.mjs';
import { artifacts, launchBrowserInLocale, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { startMailServer } from './mailbox.mjs';
import { adaQuote as quote, devEnv, recordAdaPaperConsent } from './setup.mjs';

// Issue 16, a practice manager's week: every section reached, and a consent
// request emailed, with the keyboard alone (Tab, Enter and Space; no mouse
// event at all), a visible focus ring on text
// fields, dates in the UK practice's format, and each main screen
// photographed at 1280×800 and 1024×700.

const sections = [
  ['home', 'Home'], ['patients', 'Patients'], ['consents', 'Consents'], ['testimonials', 'Testimonials'],
  ['replies', 'Email replies'], ['studio', 'Studio'], ['drafts', 'Posts'], ['calendar', 'Calendar'],
  ['channels', 'Channels'], ['settings', 'Settings'],
];

/** Counts every mouse or pointer event the page sees, from now on. */
async function watchMouse(page) {
  await page.evaluate(() => {
    window.__mouse = 0;
    for (const t of ['mousedown', 'mouseup', 'click', 'pointerdown', 'pointerup']) {
      // A keyboard Enter on a link or button fires a click with detail 0 and
      // no pointer; only a real pointer click has detail > 0.
      window.addEventListener(t, (e) => { if (t !== 'click' || e.detail > 0) window.__mouse++; }, true);
    }
  });
}

/** Presses Tab until the focused element matches test(el), at most n times. */
async function tabTo(page, describe, testFn, n = 80) {
  for (let i = 0; i < n; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(testFn)) return i + 1;
  }
  throw new Error(`Tab never reached ${describe}`);
}

/** The contrast ratio of an element's text against white (the cards' background). */
function contrastOf(page, locator) {
  return locator.evaluate((el) => {
    const rgb = getComputedStyle(el).color.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => {
      const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    return 1.05 / (lum(rgb) + 0.05);
  });
}

/**
 * The controls and content a showing toast hides: those whose centre or
 * corners the toast is on top of and that nothing else (a dialog's overlay)
 * already covers; and, by its box, whether it reaches over the page (right of
 * the sidebar) at all. Null when no toast shows.
 */
function coveredByToast(page, text) {
  return page.evaluate((text) => {
    // The one saying text: an earlier toast may still be fading out.
    const toast = [...document.querySelectorAll('.mantine-Notification-root')].find((t) => t.textContent.includes(text));
    if (!toast) return null;
    const hidden = [];
    const box = toast.getBoundingClientRect();
    const nav = document.querySelector('.mantine-AppShell-navbar').getBoundingClientRect();
    if (box.left < nav.left || box.right > nav.right || box.top < nav.top || box.bottom > nav.bottom) {
      hidden.push(`the page beside the sidebar (toast ${Math.round(box.left)}–${Math.round(box.right)} px, sidebar ${Math.round(nav.left)}–${Math.round(nav.right)} px)`);
    }
    const seen = 'button, a[href], input, textarea, [role=button], [role=tab], [role=menuitem], h1, h2, h3, h4, p, label, img, svg, [data-testid]';
    for (const el of document.querySelectorAll(seen)) {
      // The toast itself and what holds it (its container, the sidebar) are not hidden by it.
      if (toast.contains(el) || el.contains(toast)) continue;
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 2, r.top + 2], [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]];
      const under = points.some(([x, y]) => {
        const stack = document.elementsFromPoint(x, y);
        const below = stack.find((e) => !toast.contains(e));
        return toast.contains(stack[0]) && below && (below === el || el.contains(below));
      });
      if (under) hidden.push(el.getAttribute('aria-label') || el.textContent.trim() || el.tagName);
    }
    return hidden;
  }, text);
}

async function shots(page, name) {
  for (const [w, h] of [[1280, 800], [1024, 700]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(250);
    await screenshot(page, `week-${name}-${w}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('a week by keyboard: every section by Tab and Enter, a consent request emailed by Tab, Enter and Space, focus rings, UK dates, screenshots at 1280×800 and 1024×700', async () => {
  const fakes = await startFakes();
  const mail = await startMailServer();
  devEnv();
  const app = await startApp(newHome());
  // A month-first computer (US English) for a UK practice: the date of
  // birth below must still be read day-first.
  const browser = await launchBrowserInLocale('en-US');
  try {
    const page = await openPage(browser, app, 'channels');
    await page.setViewportSize({ width: 1280, height: 800 });
    await connectMastodon(page, browser, fakes);

    // Seed a UK practice with a patient, a paper consent, its testimonial and
    // a planned post (the walkthrough below is about moving between them).
    const brand = await call(page, 'BrandService', 'Get');
    await call(page, 'BrandService', 'Save', { ...brand.kit, practiceName: 'Harbour Dental Care', address: '12 Quay Street, Falmouth TR11 3HH', email: 'hello@harbourdental.example', country: 'GB' });
    await call(page, 'CalendarService', 'SaveSettings', 'Europe/London', ['dental']);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    await recordAdaPaperConsent(page, { channels: ['mastodon', 'facebook'], signedOn: today });
    const inAWeek = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + 7 * 86400000));
    const planned = await call(page, 'DraftService', 'Create', {
      id: 0, title: 'sarah-okafor', body: `“${quote}” A.Q.`, versions: {}, channels: ['mastodon'], hashtags: [],
      link: 'https://harbourdental.example/crowns', utm: true, campaign: '', pillar: 'testimonial', media: [], testimonials: [], paid: false,
      localTime: `${inAWeek}T09:30`, awarenessId: '',
    });
    // Scheduled to Mastodon: a queued post the calendar opens in its dialog.
    await call(page, 'PublishService', 'Publish', { draftId: planned.draft.id, channels: [], date: inAWeek, clock: '09:30' });
    const blank = await call(page, 'DraftService', 'Create', {
      id: 0, title: '', body: '', versions: {}, channels: [], hashtags: [], link: '', utm: true, campaign: '', pillar: '', media: [],
      testimonials: [], paid: false, localTime: '', awarenessId: '',
    });
    // The practice mailbox (the loopback mail server), for the emailed request.
    await call(page, 'MailService', 'SaveSettings', {
      settings: {
        imap: { host: '127.0.0.1', port: mail.imap, security: 'none' }, smtp: { host: '127.0.0.1', port: mail.smtp, security: 'none' },
        username: mail.user, fromAddress: 'hello@harbourdental.example', fromName: 'Harbour Dental Care', mailbox: '', moveProcessed: false, processedMailbox: '',
      },
      password: mail.password,
    });
    await page.goto(app.url + '#/home');
    await page.reload();
    await page.getByText('PracticePost', { exact: true }).first().waitFor();

    // Keyboard only from here: every section by Tab and Enter.
    await watchMouse(page);
    const reached = [];
    for (const [key, label] of sections) {
      await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
      const presses = await tabTo(page, `the ${label} link`, `document.activeElement?.getAttribute('href') === '#/${key}'`);
      // The focused link shows a ring a sighted keyboard user can follow.
      const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(ring, 'none', `${label}: the focused link shows no focus ring`);
      await page.keyboard.press('Enter');
      await page.waitForFunction((k) => window.location.hash === '#/' + k, key);
      reached.push(`${label} (${presses} Tab)`);
      // The page itself, not its loading spinner, is photographed and scanned.
      await page.waitForFunction(() => document.querySelector('main h1') && !document.querySelector('[data-testid=page-loading]'));
      await page.waitForTimeout(400);
      await shots(page, key);
    }
    console.log('reached by keyboard:', reached.join(', '));

    // At 1024×700 the sidebar's last link shows without scrolling its list.
    await page.setViewportSize({ width: 1024, height: 700 });
    const fit = await page.evaluate(() => {
      const last = document.querySelector('nav a[href="#/settings"]').getBoundingClientRect();
      const list = document.querySelector('nav .mantine-ScrollArea-viewport');
      return { lastBottom: last.bottom, listBottom: list.getBoundingClientRect().bottom, scrolls: list.scrollHeight > list.clientHeight + 1 };
    });
    assert.ok(!fit.scrolls && fit.lastBottom <= fit.listBottom, `the sidebar needs scrolling at 1024×700: ${JSON.stringify(fit)}`);
    await page.setViewportSize({ width: 1280, height: 800 });

    // A consent request by email, Tab, Enter and Space only: Patients, the
    // patient's row, "Ask for consent" → "By email", the words, Send.
    const isText = (t) => `document.activeElement?.textContent?.trim() === ${JSON.stringify(t)}`;
    await tabTo(page, 'the Patients link', `document.activeElement?.getAttribute('href') === '#/patients'`);
    await page.keyboard.press('Enter');
    await page.getByTestId('patient-table').getByText('Ada Quinn').waitFor();
    await tabTo(page, "Ada Quinn's row", `document.activeElement?.textContent?.includes('Ada Quinn') && document.activeElement.getAttribute('role') === 'link'`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Ada Quinn' }).waitFor();
    await tabTo(page, 'Ask for consent', isText('Ask for consent'));
    await page.keyboard.press('Space');
    await page.getByRole('menuitem', { name: 'By email' }).waitFor();
    await screenshot(page, 'week-ask-for-consent-menu');
    await tabTo(page, 'By email', `document.activeElement?.getAttribute('role') === 'menuitem' && ${isText('By email')}`, 5);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.location.hash.endsWith('/email'));
    await tabTo(page, 'the testimonial field', `document.activeElement?.dataset.testid === 'request-quote'`);
    await page.keyboard.type('My new crown looks completely natural.');
    await tabTo(page, 'the personal note', `document.activeElement?.getAttribute('placeholder')?.startsWith('For example: Thank you')`);
    await page.keyboard.type('Thank you for your kind words.');
    await tabTo(page, 'Send consent request', isText('Send consent request'), 5);
    await page.keyboard.press('Space');
    await page.getByTestId('email-request-sent').waitFor({ timeout: 20000 });
    await shots(page, 'consent-by-email-sent');
    const outbox = await mail.sent();
    assert.equal(outbox.length, 1, 'one request reached the mail server');
    assert.match(outbox[0], /ada@example\.com/);
    assert.equal(await page.evaluate(() => window.__mouse), 0, 'a mouse event was used to send the request');

    // A text field shows a real ring, not a 1 px colour change.
    await page.goto(app.url + '#/settings/brand');
    await page.getByLabel('Practice name').waitFor();
    await page.getByLabel('Practice name').focus();
    const field = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    assert.ok(field.style !== 'none' && field.width >= 2, `text field focus: ${JSON.stringify(field)}`);

    // Dates are the UK practice's: day first, 24-hour clock.
    await page.goto(app.url + '#/patients');
    await page.getByText('14 Mar 1968').waitFor();

    // A date of birth typed day-first is stored as the day meant, whatever
    // the browser's own language (here month-first: 4/9/1951 is 9 April).
    const lang = await page.evaluate(() => [navigator.language, new Date(Date.UTC(1951, 3, 9, 12)).toLocaleDateString()]);
    console.log('browser language:', lang.join(', '));
    assert.deepEqual(lang, ['en-US', '4/9/1951'], 'the browser is not month-first');
    await page.getByRole('button', { name: 'Add patient' }).focus();
    await page.keyboard.press('Enter');
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Full name').waitFor();
    await page.keyboard.type('Bea Moss');
    await dlg.getByLabel('Date of birth').focus();
    await page.keyboard.type('09/04/1951');
    await dlg.getByText('Read as 9 Apr 1951').waitFor();
    await dlg.getByLabel('Email').focus();
    await page.keyboard.type('bea@example.com');
    await shots(page, 'add-patient');
    await page.keyboard.press('Enter');
    await dlg.waitFor({ state: 'detached' });
    const bea = (await call(page, 'PatientService', 'List', '')).find((p) => p.patient.fullName === 'Bea Moss');
    assert.equal(bea?.patient.dateOfBirth, '1951-04-09', 'the typed date of birth was stored as another day');


    // A date picker (@mantine/dates) on the same month-first computer: the
    // Insights custom period is typed, read and shown day-first for the UK
    // practice, and its calendar starts the week on Monday.
    await page.goto(app.url + '#/insights');
    const custom = page.getByTestId('insights-period').getByRole('radio', { name: 'Custom' });
    await custom.waitFor({ state: 'attached' });
    await custom.focus();
    await page.keyboard.press('Space');
    const from = page.getByTestId('insights-from');
    await from.waitFor();
    assert.equal(await from.getAttribute('placeholder'), 'DD/MM/YYYY');
    await from.focus();
    await page.keyboard.type('9/4/2026');
    await page.getByText('Read as 9 Apr 2026').waitFor();
    // Its calendar, opened by the keyboard from the button beside the field,
    // shows the typed day's month and starts the week on Monday.
    await page.getByTestId('insights-from-calendar').focus();
    await page.keyboard.press('Enter');
    const calendar = page.getByTestId('insights-from-picker');
    await calendar.getByText('April 2026').waitFor();
    assert.equal(await calendar.locator('th').first().textContent(), 'Mo', 'the calendar week does not start on Monday');
    await shots(page, 'insights-date-picker');
    await page.keyboard.press('Escape');
    await calendar.waitFor({ state: 'hidden' });
    await from.focus();
    await page.keyboard.press('Tab');
    assert.equal(await from.inputValue(), '09/04/2026', 'the picker does not show the date day-first');

    // A blank post: the guard lists what is to do, in grey, not red.
    await page.goto(app.url + '#/drafts/' + blank.draft.id);
    const status = page.getByTestId('guard-status');
    await status.waitFor();
    assert.equal(await status.textContent(), 'To do before posting');
    assert.equal(await page.getByTestId('findings').getByText('Must fix').count(), 0);
    await shots(page, 'draft-blank');

    // Typed by keyboard: a phone number is a Must fix, its message takes the
    // caret to it, and Remove takes it out.
    await page.getByTestId('draft-body').focus();
    await page.keyboard.type('Call Bea on 07700 900123 to book.');
    const fix = page.getByTestId('finding-fix').first();
    await fix.waitFor({ timeout: 10000 });
    assert.equal(await status.textContent(), 'Must fix before posting');
    await shots(page, 'draft-findings');
    // Grey helper text, the Fix: lines among it, reads at 4.5:1 or better.
    const fixLine = page.getByTestId('findings').getByText('Fix:').first().locator('xpath=..');
    const fixContrast = await contrastOf(page, fixLine);
    console.log('Fix: line contrast', fixContrast.toFixed(2));
    assert.ok(fixContrast >= 4.5, `the Fix: line is ${fixContrast.toFixed(2)}:1`);
    const go = page.locator('.pp-finding-go', { hasText: /phone/i }).first();
    await go.focus();
    await page.keyboard.press('Enter');
    const sel = await page.evaluate(() => {
      const t = document.querySelector('[data-testid=draft-body]');
      return document.activeElement === t ? t.value.slice(t.selectionStart, t.selectionEnd) : null;
    });
    assert.match(sel ?? '', /07700 900123/, `the finding selected ${JSON.stringify(sel)}`);
    await fix.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.querySelector('[data-testid=draft-body]').value.includes('07700'));
    assert.equal(await page.getByTestId('draft-body').inputValue(), 'Call Bea on to book.');

    // The calendar: week view, and the queued post's dialog closed by Close.
    await page.goto(app.url + '#/calendar');
    await page.getByTestId('calendar-computer-on').waitFor();
    assert.match(await page.getByTestId('calendar-computer-on').textContent(), /Mastodon go out from this computer/);
    await page.getByRole('button', { name: 'Next ›' }).waitFor();
    const tile = page.locator('.fc-event', { hasText: 'sarah-okafor' }).first();
    if (!(await tile.count())) {
      await page.getByRole('button', { name: 'Next ›' }).focus();
      await page.keyboard.press('Enter');
    }
    await tile.waitFor();
    await shots(page, 'calendar-month-post');
    await page.getByRole('button', { name: 'Week' }).focus();
    await page.keyboard.press('Enter');
    const weekTile = page.locator('.fc-timegrid-event', { hasText: 'sarah-okafor' }).first();
    if (!(await weekTile.count())) {
      await page.getByRole('button', { name: 'Next ›' }).focus();
      await page.keyboard.press('Enter');
    }
    await weekTile.waitFor();
    await weekTile.scrollIntoViewIfNeeded();
    // The chips stay inside the tile.
    const spill = await weekTile.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return [...el.querySelectorAll('.pp-chip')].some((c) => c.getBoundingClientRect().right > box.right + 1 || c.getBoundingClientRect().bottom > box.bottom + 1);
    });
    assert.equal(spill, false, 'a channel chip spills out of its tile in the week view');
    await shots(page, 'calendar-week');
    await weekTile.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('post-panel');
    await panel.waitFor();
    await page.getByRole('button', { name: 'Cancel this post on Mastodon' }).waitFor();
    await shots(page, 'calendar-post-dialog');
    await page.getByTestId('post-panel-close').focus();
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'detached' });
    const jobs = await call(page, 'PublishService', 'Jobs', planned.draft.id);
    assert.ok(jobs.every((j) => j.state === 'queued'), 'Close cancelled the post');

    // The Studio's naming choice, which a segmented control cut off at 1024.
    await page.goto(app.url + '#/studio');
    const naming = page.getByText('A patient', { exact: true });
    await naming.waitFor();
    await page.getByTestId('words-of').getByRole('radio', { name: 'A patient', exact: true }).focus();
    await page.keyboard.press('Space');
    const anon = page.getByRole('radio', { name: 'Anonymous' });
    await anon.scrollIntoViewIfNeeded();
    await page.setViewportSize({ width: 1024, height: 700 });
    const box = await anon.boundingBox();
    const panelBox = await anon.evaluate((el) => el.closest('.mantine-Card-root').getBoundingClientRect().toJSON());
    assert.ok(box && box.x + box.width <= panelBox.right, `Anonymous is cut off: ${JSON.stringify(box)} in ${JSON.stringify(panelBox)}`);
    await shots(page, 'studio-naming');
    await page.setViewportSize({ width: 1024, height: 700 });
    await anon.scrollIntoViewIfNeeded();
    await screenshot(page, 'week-studio-naming-scrolled-1024');
    await page.setViewportSize({ width: 1280, height: 800 });

    // Testimonial → Make an image → Use in a post, by keyboard.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(app.url + '#/testimonials');
    const card = page.getByTestId('testimonial-card').first();
    await card.getByRole('button', { name: 'Make an image' }).waitFor();
    await shots(page, 'testimonials');
    await card.getByRole('button', { name: 'Make an image' }).focus();
    await page.keyboard.press('Enter');
    const approved = page.getByTestId('quote-from-testimonial');
    await approved.waitFor({ timeout: 15000 });
    assert.equal(await approved.inputValue(), quote);
    await shots(page, 'studio-from-testimonial');
    await page.getByRole('button', { name: 'Render all sizes' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('sizes-panel').waitFor({ timeout: 90000 });
    await page.getByLabel('Alt text').focus();
    await page.keyboard.type(`Quote card: “${quote}” A.Q., a patient.`);
    await page.getByTestId('studio-use-in-post').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^#\/drafts\/\d+$/.test(window.location.hash), null, { timeout: 20000 });
    await page.getByTestId('guard-status').waitFor();
    const made = await call(page, 'DraftService', 'Get', Number((await page.evaluate(() => window.location.hash)).split('/')[2]));
    assert.equal(made.draft.media.length, 1, 'the design is attached to the new post');
    assert.ok(made.draft.media[0].setId, 'the post records the design, not one of its files');
    assert.equal(made.draft.pillar, 'testimonial');
    await shots(page, 'post-from-studio');
    // The preview is under the practice's own name.
    assert.equal(await page.getByTestId('preview-name').first().textContent(), 'Harbour Dental Care');
    // The picker shows the kept design once (six sizes), not six tiles.
    await page.getByRole('button', { name: 'Add from Studio library' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('library-design').first().waitFor();
    assert.equal(await page.getByTestId('library-design').count(), 1);
    assert.match(await page.getByTestId('library-design').first().textContent(), /6 sizes: each channel gets its own/);
    await shots(page, 'image-picker');
    await page.keyboard.press('Escape');

    assert.equal(await page.evaluate(() => window.__mouse), 0, 'a mouse event was used');

    // Keyboard only up to here. A toast ("Cy Noor added.", on her page)
    // covers nothing: not the header's buttons, the page or the sidebar's
    // links, nor a dialog opened while it shows, at either size. The pointer
    // rests on the toast so it stays while the pages are checked.
    await page.goto(app.url + '#/patients');
    await page.getByRole('button', { name: 'Add patient' }).click();
    await dlg.getByLabel('Full name').fill('Cy Noor');
    await dlg.getByLabel('Date of birth').fill('02/03/1980');
    await dlg.getByLabel('Email').fill('cy@example.com');
    await dlg.getByLabel('Email').press('Enter');
    await dlg.waitFor({ state: 'detached' });
    const toast = page.locator('.mantine-Notification-root').filter({ hasText: 'Cy Noor added.' });
    await toast.waitFor();
    await toast.hover();
    const checkToast = async (what) => {
      for (const [w, h] of [[1024, 700], [1280, 800]]) {
        await page.setViewportSize({ width: w, height: h });
        await toast.hover();
        const hidden = await coveredByToast(page, 'Cy Noor added.');
        assert.ok(hidden, `the toast had gone (${what})`);
        assert.deepEqual(hidden, [], `${what} at ${w}×${h}: the toast covers ${hidden.join(', ')}`);
        await page.screenshot({ path: `${artifacts}/week-toast-${what}-${w}.png` });
      }
    };
    await checkToast('page');
    // On Home, where it used to cover the start of the page: the toast sits
    // in the sidebar, clear of its links, the practice's name and the page.
    await page.evaluate(() => { window.location.hash = '#/home'; });
    await page.getByTestId('week-card').waitFor();
    await checkToast('home');
    // A dialog opened while it shows: the toast is part of the sidebar, so
    // it stays beneath the dialog's overlay and covers nothing in the dialog.
    await page.evaluate(() => { window.location.hash = '#/patients'; });
    await page.getByRole('button', { name: 'Add patient' }).focus();
    await page.keyboard.press('Enter');
    await dlg.getByLabel('Full name').waitFor();
    for (const [w, h] of [[1024, 700], [1280, 800]]) {
      await page.setViewportSize({ width: w, height: h });
      const onTop = await page.evaluate(() => {
        const t = [...document.querySelectorAll('.mantine-Notification-root')].find((n) => n.textContent.includes('Cy Noor added.'));
        if (!t) return null;
        const r = t.getBoundingClientRect();
        return t.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      });
      assert.equal(onTop, false, `dialog at ${w}×${h}: the toast is ${onTop === null ? 'gone' : 'above the dialog'}`);
      await page.screenshot({ path: `${artifacts}/week-toast-dialog-${w}.png` });
    }
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });
    await page.mouse.move(1200, 20);
  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
    mail.stop();
  }
});
