import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { artifacts, launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';

// jpegInfo walks a JPEG's markers up to the frame header: its pixel size
// and whether any APP1 Exif segment (camera data, GPS) comes before it.
function jpegInfo(buf) {
  assert.equal(buf.readUInt16BE(0), 0xffd8, 'not a JPEG');
  let exif = false;
  for (let i = 2; i < buf.length; ) {
    assert.equal(buf[i], 0xff, `bad marker at ${i}`);
    const m = buf[i + 1];
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      i += 2;
      continue;
    }
    const len = buf.readUInt16BE(i + 2);
    if (m === 0xe1 && buf.subarray(i + 4, i + 10).toString('latin1') === 'Exif\0\0') exif = true;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7), exif };
    }
    i += 2 + len;
  }
  throw new Error('no frame header');
}

// withGPS splices in an APP1 Exif segment whose IFD0 points at a GPS IFD,
// as a phone camera writes it, so the test proves exports drop it.
function withGPS(jpeg) {
  const tiff = Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0,
    1, 0, 0x25, 0x88, 4, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0, 0, 0, 0,
    1, 0, 1, 0, 2, 0, 2, 0, 0, 0, 0x4e, 0, 0, 0, 0, 0, 0, 0]);
  const seg = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, (seg.length + 2) >> 8, (seg.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), head, seg, jpeg.subarray(2)]);
}

// A photo-like 1600×1200 scene drawn in the page: a treatment room with a
// smiling person and a name badge that must be redacted.
async function makePhoto(page) {
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 1600;
    c.height = 1200;
    const g = c.getContext('2d');
    const wall = g.createLinearGradient(0, 0, 0, 1200);
    wall.addColorStop(0, '#dfe9ec');
    wall.addColorStop(1, '#9fb8bf');
    g.fillStyle = wall;
    g.fillRect(0, 0, 1600, 1200);
    g.fillStyle = '#f5f1e8';
    g.fillRect(980, 140, 480, 360); // window
    g.fillStyle = '#bcd3da';
    g.fillRect(1000, 160, 440, 320);
    for (let i = 0; i < 4000; i++) {
      g.fillStyle = `rgba(${(i * 37) % 255},${(i * 91) % 255},${(i * 53) % 255},0.05)`;
      g.fillRect((i * 397) % 1600, (i * 211) % 1200, 14, 14);
    }
    g.fillStyle = '#2f5d62'; // body
    g.beginPath();
    g.ellipse(620, 1130, 330, 420, 0, Math.PI, 0);
    g.fill();
    g.fillStyle = '#e0b594'; // face
    g.beginPath();
    g.arc(620, 500, 190, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = '#3b2a20'; // hair
    g.beginPath();
    g.arc(620, 440, 200, Math.PI, 0);
    g.fill();
    g.strokeStyle = '#7a3b2e';
    g.lineWidth = 12;
    g.beginPath();
    g.arc(620, 540, 80, 0.15 * Math.PI, 0.85 * Math.PI);
    g.stroke();
    g.fillStyle = '#ffffff'; // name badge
    g.fillRect(720, 860, 200, 80);
    g.fillStyle = '#1b1b1b';
    g.font = 'bold 40px sans-serif';
    g.fillText('J. SMITH', 728, 915);
    return c.toDataURL('image/jpeg', 0.9).split(',')[1];
  });
  return withGPS(Buffer.from(b64, 'base64'));
}

const quote = 'I was nervous for years, but the whole team made me feel at ease. My new smile is better than I ever hoped.';

test('studio: quote card with a photo, focal point, redaction, all sizes, library and export', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  const out = mkdtempSync(join(tmpdir(), 'pp-studio-export-'));
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await page.getByLabel('Practice name').fill('Harbour Dental Care');
    await page.getByLabel('Website').fill('https://www.harbourdental.example');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('All changes saved.').waitFor();
    await page.reload(); // clears the "Saved" notification from the screenshots

    await page.getByText('Studio', { exact: true }).first().click();
    await page.getByRole('heading', { name: 'Studio' }).waitFor();
    const preview = page.getByTestId('studio-preview');
    await preview.waitFor();

    // The photo's source is asked first (studio-provenance.test.mjs covers
    // it); this design's photo is declared as a licensed stock photo.
    await page.getByTestId('photo-slot-main').getByRole('radio', { name: 'A photo that shows no patient' }).check();
    await page.getByTestId('photo-slot-main').getByRole('radio', { name: /stock photo/ }).check();

    // A HEIC photo gets the engine's explanation, and nothing is added.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(64)]);
    const drop = page.getByTestId('photo-dropzone-main').locator('input[type=file]');
    await drop.setInputFiles({ name: 'IMG_0042.HEIC', mimeType: 'image/heic', buffer: heic });
    const photoErr = page.getByTestId('photo-error-main');
    await photoErr.waitFor();
    assert.match(await photoErr.innerText(), /IMG_0042\.HEIC: This photo is in HEIC format/);
    assert.match(await photoErr.innerText(), /Most Compatible/);

    // Fill the quote card; the preview follows the typing.
    await page.locator('[aria-label="Layout"]').getByText('Over a photo').click();
    let before = await preview.getAttribute('src');
    await page.getByLabel('Quote').fill(quote);
    await page.getByRole('radiogroup', { name: 'Whose words are these?' }).getByRole('radio', { name: 'A team member or a public figure' }).check();
    await page.getByLabel('Their name').fill('Jane Smith');
    await page.getByLabel('Treatment (optional)').fill('Invisalign');
    await page.waitForFunction((b) => document.querySelector('[data-testid=studio-preview]')?.getAttribute('src') !== b, before);

    const photo = await makePhoto(page);
    assert.ok(jpegInfo(photo).exif, 'the test photo carries EXIF with GPS');
    assert.ok(photo.length < 200_000, `test photo is ${photo.length} bytes`);
    await drop.setInputFiles({ name: 'patient-smile.jpg', mimeType: 'image/jpeg', buffer: photo });
    const canvas = page.getByTestId('photo-canvas-main');
    await canvas.waitFor();
    assert.equal(await photoErr.count(), 0, 'the earlier error is cleared');
    await page.getByText('patient-smile.jpg · 1600×1200').waitFor();

    // One click sets the focal point (on the face).
    await canvas.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-testid=photo-canvas-main] img')?.complete);
    // Positions on the photo as fractions, measured afresh: the page can move.
    const at = async (fx, fy) => {
      await canvas.scrollIntoViewIfNeeded();
      const box = await canvas.boundingBox();
      return [box.x + fx * box.width, box.y + fy * box.height];
    };
    before = await preview.getAttribute('src');
    await page.mouse.click(...await at(620 / 1600, 500 / 1200));
    const marker = page.getByTestId('focus-marker');
    const left = await marker.evaluate((el) => parseFloat(el.style.left));
    assert.ok(Math.abs(left - 38.75) < 1, `focal point at ${left}%`);
    await page.waitForFunction((b) => document.querySelector('[data-testid=studio-preview]')?.getAttribute('src') !== b, before);

    // A drag draws a redaction box over the name badge.
    before = await preview.getAttribute('src');
    await page.mouse.move(...await at(700 / 1600, 840 / 1200));
    await page.mouse.down();
    await page.mouse.move(...await at(810 / 1600, 900 / 1200), { steps: 5 });
    await page.mouse.move(...await at(940 / 1600, 960 / 1200), { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('redaction-box').waitFor();
    assert.equal(await page.getByTestId('redaction-box').count(), 1);
    await page.getByText('Redaction 1', { exact: true }).waitFor();
    await page.getByLabel('Redaction 1 style').getByText('Pixelate').click();
    await page.waitForFunction((b) => document.querySelector('[data-testid=studio-preview]')?.getAttribute('src') !== b, before);
    // The focal point stayed where it was clicked.
    assert.ok(Math.abs((await marker.evaluate((el) => parseFloat(el.style.left))) - left) < 0.01);

    // A second box can be removed again.
    await page.mouse.move(...await at(0.05, 0.05));
    await page.mouse.down();
    await page.mouse.move(...await at(0.2, 0.15), { steps: 5 });
    await page.mouse.up();
    await page.getByText('Redaction 2', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Remove redaction 2' }).click();
    await page.getByText('Redaction 2', { exact: true }).waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('redaction-box').count(), 1);

    // Preview the story size too.
    await page.locator('[aria-label="Preview size"]').getByText('Story').click();
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid=studio-preview]');
      return img && img.naturalHeight > img.naturalWidth;
    });
    const ms = Number((await page.getByTestId('preview-ms').innerText()).match(/(\d+) ms/)[1]);
    console.log(`preview drawn in ${ms} ms (engine time, working copy)`);
    await page.locator('[aria-label="Preview size"]').getByText('Square').click();
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid=studio-preview]');
      return img && img.naturalHeight === img.naturalWidth;
    });
    // The photo with its focal point and redaction beside the live preview.
    await page.getByTestId('redactions-main').scrollIntoViewIfNeeded();
    await screenshot(page, 'studio-editing');

    // One click renders every size.
    await page.getByRole('button', { name: 'Render all sizes' }).click();
    await page.getByTestId('render-progress').waitFor().catch(() => undefined);
    await page.getByTestId('sizes-panel').waitFor({ timeout: 60000 });
    for (const id of ['square', 'portrait', 'link', 'story', 'landscape', 'wide']) {
      await page.getByTestId(`variant-${id}`).waitFor();
    }
    assert.equal(await page.getByTestId('overflow-alert').count(), 0, 'nothing overflows');
    await page.getByTestId('size-grid').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=size-grid] img')].every((i) => i.complete && i.naturalWidth > 0));
    await screenshot(page, 'studio-all-sizes');

    // Alt text is asked for, with the reason.
    await page.getByRole('button', { name: 'Keep in library' }).click();
    await page.getByText(/Screen readers read it aloud/).first().waitFor();
    await page.getByLabel('Alt text').fill('Quote card over a photo of a smiling patient: “The whole team made me feel at ease.” Jane, Invisalign patient.');
    await page.getByRole('button', { name: 'Keep in library' }).click();
    await page.getByRole('button', { name: 'Kept in the library' }).waitFor();

    // Export to a folder typed in (the native picker is for people).
    await page.getByTestId('export-folder').locator('input').or(page.getByLabel('Export to folder')).first().fill(out);
    await page.getByRole('button', { name: 'Export 6 images' }).click();
    await page.getByTestId('export-result').waitFor();

    const want = { square: [1080, 1080], portrait: [1080, 1350], link: [1200, 630], story: [1080, 1920], landscape: [1200, 900], wide: [1600, 900] };
    const files = readdirSync(out).filter((f) => f.endsWith('.jpg')).sort();
    assert.equal(files.length, 6, `exported ${files}`);
    mkdirSync(artifacts, { recursive: true });
    for (const [id, [w, h]] of Object.entries(want)) {
      const f = files.find((x) => x.endsWith(`-${id}.jpg`));
      assert.ok(f, `no ${id} file in ${files}`);
      assert.match(f, /^harbour-dental-care-testimonial-\d{4}-\d{2}-\d{2}-\d{4}-/);
      const buf = readFileSync(join(out, f));
      const info = jpegInfo(buf);
      assert.deepEqual([info.width, info.height], [w, h], `${f} size`);
      assert.equal(info.exif, false, `${f} must carry no EXIF`);
      assert.ok(buf.length <= 1_000_000, `${f} is ${buf.length} bytes`);
      copyFileSync(join(out, f), join(artifacts, `studio-export-${id}.jpg`));
    }
    const alt = readdirSync(out).find((f) => f.endsWith('-alt-text.txt'));
    assert.match(readFileSync(join(out, alt), 'utf8'), /made me feel at ease/);

    // The library holds the six sizes with their alt text, also after a reload.
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.getByTestId('library').waitFor();
    await page.reload(); // and clears the notifications from the screenshot
    await page.getByTestId('library').waitFor();
    assert.equal(await page.getByTestId('library-item').count(), 6);
    await page.getByText(/Alt text: Quote card over a photo/).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=library] img')].every((i) => i.complete && i.naturalWidth > 0));
    await screenshot(page, 'studio-library');
    writeFileSync(join(artifacts, 'studio-export-folder.txt'), files.join('\n') + '\n');
  } finally {
    await browser.close();
    await app.stop();
  }
});
