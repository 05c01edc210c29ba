import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { artifacts, launchBrowser, newHome, openPage, startApp } from './harness.mjs';
import { call } from './fakes.mjs';
import { addPatient, addWaitingTestimonial, setFirstPin, setUpPractice, signFirstNameOnFacebook, sqlite as sql, tmpFile, unlockToConsent } from './setup.mjs';

// A JPEG as a phone writes it: EXIF with the camera make and a GPS IFD
// (latitude ref N, latitude 50/1 9/1 12/1), spliced after SOI.
function withGPS(jpeg) {
  const le = (n, bytes) => {
    const b = Buffer.alloc(bytes);
    if (bytes === 2) b.writeUInt16LE(n);
    else b.writeUInt32LE(n);
    return b;
  };
  const entry = (tag, type, count, value) => Buffer.concat([le(tag, 2), le(type, 2), le(count, 4), le(value, 4)]);
  const gps = 8 + 2 + 2 * 12 + 4;
  const make = gps + 2 + 2 * 12 + 4;
  const lat = make + 12;
  const tiff = Buffer.concat([
    Buffer.from('II'), le(42, 2), le(8, 4),
    le(2, 2), entry(0x010f, 2, 12, make), entry(0x8825, 4, 1, gps), le(0, 4),
    le(2, 2), entry(0x0001, 2, 2, 0x4e), entry(0x0002, 5, 3, lat), le(0, 4),
    Buffer.from('HarbourCam\0\0', 'latin1'),
    ...[50, 1, 9, 1, 12, 1].map((v) => le(v, 4)),
  ]);
  const seg = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, (seg.length + 2) >> 8, (seg.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), head, seg, jpeg.subarray(2)]);
}
const latitude = Buffer.from([50, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0]);

async function drawJPEG(page, w, h, scene) {
  const b64 = await page.evaluate(([w, h, scene]) => {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const g = c.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 0, h);
    sky.addColorStop(0, scene === 'smile' ? '#f3e6da' : '#dce8ee');
    sky.addColorStop(1, scene === 'smile' ? '#c9a58a' : '#8fb1bf');
    g.fillStyle = sky;
    g.fillRect(0, 0, w, h);
    if (scene === 'smile') {
      g.fillStyle = '#e0b594';
      g.beginPath();
      g.arc(w / 2, h / 2, h / 3, 0, Math.PI * 2);
      g.fill();
      g.strokeStyle = '#7a3b2e';
      g.lineWidth = 10;
      g.beginPath();
      g.arc(w / 2, h / 2 + 20, h / 6, 0.15 * Math.PI, 0.85 * Math.PI);
      g.stroke();
    } else {
      g.fillStyle = '#f7f4ee'; // reception desk and window
      g.fillRect(w * 0.1, h * 0.55, w * 0.8, h * 0.3);
      g.fillStyle = '#b9d3dc';
      g.fillRect(w * 0.6, h * 0.1, w * 0.3, h * 0.3);
    }
    return c.toDataURL('image/jpeg', 0.9).split(',')[1];
  }, [w, h, scene]);
  return withGPS(Buffer.from(b64, 'base64'));
}

/** Saves the page at a window size, for looking at afterwards. */
async function shot(page, name, width, height) {
  await page.setViewportSize({ width, height });
  await page.waitForTimeout(150);
  if (page.appErrors?.length) throw new Error(`the page threw: ${page.appErrors.join('; ')}`);
  await page.screenshot({ path: join(artifacts, `${name}-${width}x${height}.png`) });
}

test('importing a photo into the Studio asks for its provenance', async () => {
  let app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await page.setViewportSize({ width: 1280, height: 800 });
    await setUpPractice(page, app);

    // Margaret's testimonial with her photo, straight from her phone (GPS inside).
    await addPatient(page, app, 'Margaret Ellison', '1951-04-09', 'm.ellison@example.com');
    const smileFile = await drawJPEG(page, 640, 480, 'smile');
    assert.ok(smileFile.includes(latitude) && smileFile.includes(Buffer.from('HarbourCam')), 'the phone photo carries GPS and camera data');
    await addWaitingTestimonial(page, app, 'Margaret Ellison', 'I laugh in photos again. The whole team was patient and kind.', 'Email reply', tmpFile('IMG_2231.jpg', smileFile));

    // The stored photo lost its location and camera data at intake.
    const stored = sql(app.home, "SELECT sha256 FROM blobs WHERE mime = 'image/jpeg'").split('\n');
    assert.equal(stored.length, 1, `one photo stored: ${stored}`);
    const bytes = Buffer.from(await page.evaluate(async (u) => [...new Uint8Array(await (await fetch(u)).arrayBuffer())], '/media/' + stored[0]));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), stored[0], 'the hash is of the stored (clean) bytes');
    assert.ok(!bytes.includes(latitude) && !bytes.includes(Buffer.from('HarbourCam')), 'no GPS or camera data in the stored photo');

    // She signs on screen: first name, Facebook; her face is not ticked.
    const card = page.getByTestId('testimonial-card').filter({ hasText: 'Margaret Ellison' });
    await card.getByTestId('ask-for-consent').click();
    await page.getByRole('menu').getByRole('menuitem', { name: 'On this screen' }).click();
    await page.getByRole('heading', { name: 'Ask for consent for a testimonial' }).waitFor();
    await page.getByRole('button', { name: 'Hand to patient' }).click();
    await setFirstPin(page, '1357');
    const signing = page.getByTestId('signing-screen');
    await signing.waitFor();
    await signFirstNameOnFacebook(page, signing, 'Margaret Ellison');
    const consentNo = await unlockToConsent(page, '1357');

    // The Studio: the quote card's photo slot asks where the photo comes
    // from before any file can be chosen.
    await page.goto(app.url + '#/studio');
    await page.getByRole('heading', { name: 'Studio' }).waitFor();
    await page.getByTestId('studio-preview').waitFor();
    await page.locator('[aria-label="Layout"]').getByText('Over a photo').click();
    const slot = page.getByTestId('photo-slot-main');
    const ask = slot.getByRole('radiogroup', { name: /Where does this photo come from/ });
    await ask.waitFor();
    assert.equal(await slot.locator('input[type=file]').count(), 0, 'no file can be chosen before the source is');
    assert.match(await slot.getByTestId('photo-source-main-why').innerText(), /cannot be placed/);
    await ask.scrollIntoViewIfNeeded();
    await shot(page, 'studio-provenance-ask', 1280, 800);
    await shot(page, 'studio-provenance-ask', 1024, 700);
    await page.setViewportSize({ width: 1280, height: 800 });

    // (a) From her consent: the keyboard reaches every choice.
    await slot.getByRole('radio', { name: "From a patient's signed consent" }).focus();
    await page.keyboard.press('Space');
    const use = slot.getByRole('button', { name: 'Use this photo' });
    await use.waitFor();
    assert.equal(await use.isDisabled(), true);
    await slot.getByText('Choose the consent first.').waitFor();
    await slot.getByRole('combobox', { name: 'Consent' }).click();
    await page.getByRole('option', { name: new RegExp(`^Margaret Ellison · consent ${consentNo}`) }).click();
    await slot.getByText('Choose one of the consent’s photos first.').waitFor();
    const face = slot.getByRole('checkbox', { name: "Shows the patient's face" });
    assert.equal(await face.isDisabled(), true, 'her consent does not allow her face');
    await slot.getByText(/consent does not allow their face to be shown/).waitFor();
    const photoRadio = slot.getByTestId('consent-photo').first();
    await photoRadio.focus();
    await page.keyboard.press('Space');
    assert.equal(await photoRadio.getAttribute('aria-checked'), 'true');
    await slot.scrollIntoViewIfNeeded();
    await shot(page, 'studio-provenance-consent', 1280, 800);
    await shot(page, 'studio-provenance-consent', 1024, 700);
    await page.setViewportSize({ width: 1280, height: 800 });
    await use.click();
    const label = slot.getByTestId('photo-source-label-main');
    await label.waitFor();
    assert.equal((await label.innerText()).trim(), `From consent ${consentNo} · face not shown`);
    assert.match(await slot.getByTestId('photo-note-main').innerText(), /does not allow their face to be shown: drag a box over the face/);
    await slot.getByTestId('photo-canvas-main').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=photo-canvas-main] img')?.complete);
    await label.scrollIntoViewIfNeeded();
    await shot(page, 'studio-provenance-placed', 1280, 800);
    await page.setViewportSize({ width: 1280, height: 800 });

    // (b) Declared as showing no patient: the file picker appears only once
    // the declaration is chosen.
    await slot.getByRole('button', { name: 'Remove photo' }).click();
    await slot.getByRole('radio', { name: 'A photo that shows no patient' }).check();
    await slot.getByTestId('photo-dropzone-waiting-main').waitFor();
    assert.equal(await slot.locator('input[type=file]').count(), 0);
    await slot.getByRole('radio', { name: /Our premises/ }).check();
    const room = await drawJPEG(page, 800, 600, 'room');
    await slot.getByTestId('photo-dropzone-main').locator('input[type=file]').setInputFiles({ name: 'reception.jpg', mimeType: 'image/jpeg', buffer: room });
    await label.waitFor();
    assert.match(await label.innerText(), /^No patient: our premises or equipment/);

    // The card's words are a team member's; it renders and is kept with
    // the photo's source in every size.
    await page.getByLabel('Quote').fill('Prevention really is better than cure.');
    await page.getByRole('radiogroup', { name: 'Whose words are these?' }).getByRole('radio', { name: 'A team member or a public figure' }).check();
    await page.getByLabel('Their name').fill('Dr Amy Shah');
    await page.getByRole('button', { name: 'Render all sizes' }).click();
    await page.getByTestId('sizes-panel').waitFor({ timeout: 60000 });
    await page.getByLabel('Alt text').fill('Quote card over a photo of our reception: “Prevention really is better than cure.” Dr Amy Shah.');
    await page.getByRole('button', { name: 'Keep in library' }).click();
    await page.getByRole('button', { name: 'Kept in the library' }).waitFor();
    const kept = sql(app.home, "SELECT DISTINCT sources || '|' || sources_known || '|' || attribution || '|' || (SELECT COUNT(*) FROM media) FROM media");
    assert.equal(kept, '[{"kind":"declared","declared":"premises"}]|1|not_patient|6');

    // Home: an image kept before PracticePost asked waits for its source,
    // and the posts that use it are held until it is declared.
    // Its bytes are stored sealed, as every file in the data file is: the
    // logo upload is the one door that keeps a file's bytes unchanged, so it
    // stores them and the logo is taken off again (the blob stays). Only the
    // library row, which is what an older version wrote without a source,
    // is written by hand.
    const sum = createHash('sha256').update(room).digest('hex');
    await call(page, 'BrandService', 'UploadLogo', 'old.jpg', room.toString('base64'));
    await call(page, 'BrandService', 'RemoveLogo');
    assert.equal(sql(app.home, `SELECT COUNT(*) FROM blobs WHERE sha256 = '${sum}'`), '1');
    // Written with PracticePost closed, as version 19 left it: the alt text
    // plain, and the file's record of sealing at 19. Opening seals it.
    await app.stop();
    sql(app.home, `INSERT INTO media (set_id, blob_sha256, mime, template, layout, size_id, width, height, bytes, alt_text, created_at)
      VALUES ('old-set', '${sum}', 'image/jpeg', 'team', 'circle', 'square', 800, 600, ${room.length}, 'Our hygienist Sam at the front desk', '2026-01-10T09:00:00Z');
      UPDATE app_state SET value = '19' WHERE key = 'seal.late';`);
    app = await startApp(app.home);
    assert.equal(sql(app.home, "SELECT typeof(alt_text) FROM media WHERE set_id = 'old-set'"), 'blob', 'sealed when the app opened the file');
    await page.goto(app.url + '#/');
    const waiting = page.getByTestId('unplaced-images');
    await waiting.waitFor();
    assert.equal(await waiting.getByTestId('unplaced-image').count(), 1);
    const save = waiting.getByRole('button', { name: 'Save declaration' });
    assert.equal(await save.isDisabled(), true);
    await waiting.getByText('To save, choose what the photo shows.').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=unplaced-images] img')].every((i) => i.complete));
    await shot(page, 'home-images-waiting', 1280, 800);
    await shot(page, 'home-images-waiting', 1024, 700);
    await page.setViewportSize({ width: 1280, height: 800 });
    await waiting.getByRole('combobox', { name: 'What does the photo show?' }).click();
    await page.getByRole('option', { name: /^Our team/ }).click();
    await save.click();
    await waiting.waitFor({ state: 'detached' });
    assert.equal(sql(app.home, "SELECT sources || '|' || sources_known FROM media WHERE set_id = 'old-set'"), '[{"kind":"declared","declared":"team"}]|1');
    assert.equal(sql(app.home, "SELECT json_extract(detail, '$.declared') FROM audit_log WHERE action = 'media.declare'"), 'team');

    // A post's image picker shows the two designs as two tiles: the quote
    // card kept in six sizes, each channel getting its own, and the old
    // image kept in one size, which goes as it is.
    await page.goto(app.url + '#/drafts');
    await page.getByRole('button', { name: 'New post' }).click();
    await page.getByTestId('draft-body').fill('Our reception, newly done.');
    await page.getByRole('button', { name: 'Add from Studio library' }).click();
    const tiles = page.getByTestId('library-design');
    await tiles.first().waitFor();
    assert.equal(await tiles.count(), 2);
    const texts = await tiles.allTextContents();
    assert.ok(texts.some((t) => t.includes('6 sizes: each channel gets its own')), texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('800×600, as it is')), texts.join(' | '));
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=library-design] img')].every((i) => i.complete));
    await shot(page, 'post-picker-two-designs', 1280, 800);
    await shot(page, 'post-picker-two-designs', 1024, 700);
    await page.setViewportSize({ width: 1280, height: 800 });
    await tiles.filter({ hasText: 'as it is' }).click();
    // A new post is for Facebook and Instagram. Instagram takes 4:5, which
    // this design has not kept: its preview says which size goes instead.
    await page.getByRole('tab', { name: 'Instagram' }).click();
    const note = page.getByTestId('size-note-instagram');
    await note.waitFor();
    assert.match(await note.innerText(), /no 1080×1350 size kept, so Instagram gets its 800×600 size instead/);
    assert.equal(await page.getByTestId('size-note-facebook').count(), 0, 'Facebook has its square: no note');
    await note.scrollIntoViewIfNeeded();
    await shot(page, 'post-size-note', 1280, 800);
  } finally {
    await browser.close();
    await app.stop();
  }
});
