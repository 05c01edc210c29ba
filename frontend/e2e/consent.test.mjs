import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inflateSync, deflateSync, crc32, constants } from 'node:zlib';
import { artifacts, launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { checkerPNG, recordWithdrawalByEmail, setFirstPin, setUpPractice, tmpFile } from './setup.mjs';

// A real 120×60 PNG; the "after" photo is another picture. (Bytes added after
// IEND no longer make a second photo: intake strips them, with the camera
// and location data, before the photo is hashed.)
const beforePNG = Buffer.from(checkerPNG, 'base64');
const afterPNG = solidPNG(120, 60, [46, 134, 193]);

/** A w×h PNG of one colour, built by hand: signature, IHDR, IDAT, IEND. */
function solidPNG(w, h, [r, g, b]) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3).map((_, i) => [r, g, b][i % 3])]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// A full-page picture too, for reviewing long screens such as the signing form.
async function fullShot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}-full.png`), fullPage: true });
}

// pdfText pulls the drawn lines out of a gopdf file: inflate the Flate
// streams, map glyph ids back to characters through each font's ToUnicode
// map, and walk each page's content stream (the same method as the Go test).
function pdfText(buf) {
  const src = buf.toString('latin1');
  const objs = new Map();
  for (const m of src.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    let body = m[2];
    const i = body.indexOf('stream\n');
    if (i >= 0) {
      const dict = body.slice(0, i);
      let data = body.slice(i + 'stream\n'.length);
      data = data.slice(0, data.lastIndexOf('endstream'));
      if (dict.includes('FlateDecode')) {
        data = inflateSync(Buffer.from(data, 'latin1'), { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1');
      }
      body = dict + 'stream\n' + data;
    }
    objs.set(m[1], body);
  }
  const cmaps = new Map();
  for (const o of objs.values()) {
    for (const ref of o.matchAll(/\/F(\d+) (\d+) 0 R/g)) {
      const tu = /\/ToUnicode (\d+) 0 R/.exec(objs.get(ref[2]) ?? '');
      if (!tu) continue;
      const cm = new Map();
      for (const r of (objs.get(tu[1]) ?? '').matchAll(/<([0-9A-F]{4})><([0-9A-F]{4})><([0-9A-F]{4})>/g)) {
        cm.set(r[1], String.fromCodePoint(parseInt(r[3], 16)));
      }
      cmaps.set(ref[1], cm);
    }
  }
  const lines = [];
  const pages = [...objs.values()].find((o) => o.includes('/Type /Pages'));
  const kids = /\/Kids \[([^\]]*)\]/.exec(pages)[1].replaceAll('0 R', '').trim().split(/\s+/);
  for (const page of kids) {
    const c = /\/Contents\s+(\d+) 0 R/.exec(objs.get(page))[1];
    let font = '';
    for (const op of objs.get(c).matchAll(/\/F(\d+) \S+ Tf|\[([\s\S]*?)\] TJ/g)) {
      if (op[1]) {
        font = op[1];
        continue;
      }
      let line = '';
      for (const h of op[2].matchAll(/<([0-9A-F]*)>/g)) {
        for (let i = 0; i + 4 <= h[1].length; i += 4) line += cmaps.get(font)?.get(h[1].slice(i, i + 4)) ?? '?';
      }
      lines.push(line);
    }
  }
  return lines.join('\n');
}

async function pick(page, label, option) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('consent: add a patient, sign on screen, testimonial per channel, PDF, withdrawal', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await setUpPractice(page, app);

    // Add a patient.
    await page.getByRole('link', { name: 'Patients' }).or(page.getByText('Patients', { exact: true })).first().click();
    await page.getByRole('button', { name: 'Add patient' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Full name').fill('Margaret Ellison');
    await dlg.getByLabel('Date of birth').fill('1951-04-09');
    await dlg.getByLabel('Email').fill('m.ellison@example.com');
    await dlg.getByLabel('Practice reference (optional)').fill('HD-2291');
    await dlg.getByRole('button', { name: 'Add patient' }).click();
    await page.getByRole('heading', { name: 'Margaret Ellison' }).waitFor();
    await page.goto(app.url + '#/patients');
    await page.getByLabel('Search patients').fill('ellis');
    await page.getByTestId('patient-table').getByText('Margaret Ellison').click();

    // Prepare the request: quote, a before/after pair, then hand it over.
    await page.getByRole('button', { name: 'Ask for consent' }).click();
    await page.getByRole('menuitem', { name: 'On this screen' }).click();
    await page.getByTestId('request-quote').fill('After years of hiding my smile, I laugh in photos again. The whole team was patient and kind.');
    await page.getByLabel('Treatment the posts may mention (optional)').fill('Whitening and two crowns');
    await page.getByTestId('media-dropzone').locator('input[type=file]').setInputFiles([tmpFile('before.png', beforePNG), tmpFile('after.png', afterPNG)]);
    await page.getByRole('combobox', { name: 'Photo 2 type' }).waitFor();
    await pick(page, 'Photo 1 type', 'Before (of a before-and-after pair)');
    await pick(page, 'Photo 2 type', 'After (of a before-and-after pair)');
    await screenshot(page, 'consent-request');
    await fullShot(page, 'consent-request');
    await page.getByRole('button', { name: 'Hand to patient' }).click();

    // First time: set the manager PIN, which hands the form over at once.
    await setFirstPin(page, '1357');
    const signing = page.getByTestId('signing-screen');
    await signing.waitFor();
    assert.equal(await page.getByText('Settings', { exact: true }).count(), 0, 'the app must be unreachable while the patient signs');
    // Every box starts unticked.
    const boxes = signing.getByRole('checkbox');
    assert.ok((await boxes.count()) >= 23);
    for (const b of await boxes.all()) assert.equal(await b.isChecked(), false);
    // Body text is at least 18 px.
    const size = await signing.getByText('Tick a box only if you agree to it', { exact: false }).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(size >= 18, `body text is ${size}px`);
    await screenshot(page, 'consent-signing');
    await fullShot(page, 'consent-signing');

    // A reload still shows the signing screen: the lock lives in the backend.
    await page.reload();
    await signing.waitFor();
    assert.equal(await page.getByText('Settings', { exact: true }).count(), 0);

    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(page, 'consent-signing-1024');

    await signing.getByRole('checkbox', { name: 'My first name only' }).check();
    await signing.getByRole('checkbox', { name: 'Before-and-after images' }).check();
    await signing.getByRole('checkbox', { name: 'Facebook', exact: true }).check();
    await signing.getByTestId('typed-name').fill('Margaret Ellison');

    // Signing without drawing is refused with a plain message.
    await signing.getByTestId('sign-button').click();
    assert.match(await signing.getByTestId('signing-error').innerText(), /Please sign in the box/);

    const pad = signing.getByTestId('signature-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    const y0 = box.y + box.height * 0.55;
    await page.mouse.move(box.x + 40, y0);
    await page.mouse.down();
    for (let i = 1; i <= 40; i++) {
      await page.mouse.move(box.x + 40 + i * 9, y0 - Math.sin(i / 3) * 30, { steps: 2 });
    }
    await page.mouse.up();
    await page.mouse.move(box.x + 120, y0 - 50);
    await page.mouse.down();
    await page.mouse.move(box.x + 140, y0 + 20, { steps: 8 });
    await page.mouse.up();
    assert.equal(await signing.getByTestId('signing-error').count(), 0, 'the "please sign" message goes once there is a signature');
    // Both strokes landed: the pad must not move while the patient signs.
    const inkAt = (x, y) => pad.evaluate((c, [px, py]) => {
      const r = c.getBoundingClientRect();
      const k = c.width / r.width;
      const d = c.getContext('2d').getImageData(Math.round((px - r.left) * k) - 4, Math.round((py - r.top) * k) - 4, 9, 9).data;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 128) return true;
      return false;
    }, [x, y]);
    assert.ok(await inkAt(box.x + 130, y0 - 15), 'the second stroke is on the pad');
    assert.ok(await inkAt(box.x + 40 + 20 * 9, y0 - Math.sin(20 / 3) * 30), 'the first stroke is on the pad');
    await screenshot(page, 'consent-signing-filled-1024');
    await fullShot(page, 'consent-signing-filled-1024');
    await signing.getByTestId('sign-button').click();
    await page.getByTestId('signing-done').waitFor();
    await screenshot(page, 'consent-signed-thanks');

    // Staff unlock: a wrong PIN is explained, the right one opens the new consent.
    await page.getByRole('button', { name: 'Staff: unlock' }).click();
    await page.getByTestId('unlock-pin').fill('2468');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    assert.match(await page.getByTestId('unlock-error').innerText(), /That PIN is not right\. 4 more tries/);
    await page.getByTestId('unlock-pin').fill('1357');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('heading', { name: /^Consent #\d+$/ }).waitFor();
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.equal(await page.getByTestId('choice-facebook').getAttribute('data-ticked'), 'true');
    assert.equal(await page.getByTestId('choice-instagram').getAttribute('data-ticked'), 'false');
    await page.getByText('The exact text the patient saw, and the evidence hash').click();
    const hash = (await page.getByTestId('evidence-hash').innerText()).trim();
    assert.match(hash, /^[0-9a-f]{64}$/);
    await screenshot(page, 'consent-detail');
    await fullShot(page, 'consent-detail');

    // The signed copy: fetch the PDF and read its text.
    const href = await page.getByTestId('open-pdf').getAttribute('href');
    const res = await fetch(new URL(href, app.url));
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    const text = pdfText(Buffer.from(await res.arrayBuffer()));
    assert.match(text, /Patient: Margaret Ellison/);
    assert.match(text, /\[x\] Facebook \(ticked\)/);
    assert.match(text, /\[ \] Instagram \(not ticked\)/);
    assert.match(text, /\[x\] My first name only \(ticked\)/);
    assert.ok(text.replace(/\n/g, '').includes('Evidence hash: ' + hash), 'the PDF carries the evidence hash');

    // The testimonial: Facebook yes, Instagram no, with the reason.
    await page.goto(app.url + '#/testimonials');
    const card = page.getByTestId('testimonial-card');
    await card.waitFor();
    assert.equal(await card.getByTestId('verdict-facebook').getAttribute('data-publishable'), 'true');
    assert.equal(await card.getByTestId('verdict-instagram').getAttribute('data-publishable'), 'false');
    assert.equal(await card.getByTestId('reason-instagram').innerText(), 'The consent does not cover Instagram.');
    await screenshot(page, 'testimonials');
    await fullShot(page, 'testimonials');

    // Withdraw: blocked everywhere.
    await card.getByText(/^Consent #\d+$/).click();
    await recordWithdrawalByEmail(page);
    await page.getByText('Withdrawal recorded').waitFor();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    assert.match(await page.getByTestId('takedown-empty').innerText(), /nothing to take down/);
    await screenshot(page, 'consent-withdrawn');

    await page.goto(app.url + '#/testimonials');
    await card.waitFor();
    assert.equal(await card.getByTestId('testimonial-summary').innerText(), 'Blocked everywhere');
    for (const v of await card.locator('[data-testid^="verdict-"]').all()) {
      assert.equal(await v.getAttribute('data-publishable'), 'false');
    }
    // The reason every channel shares is said once, above the grid.
    assert.match(await card.getByTestId('shared-reasons').innerText(), /withdrew this consent/);
    assert.equal(await card.getByTestId('reason-facebook').innerText(), 'Blocked (see above)');
    await screenshot(page, 'testimonials-withdrawn');
  } finally {
    await browser.close();
    await app.stop();
  }
});
