import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { call } from './fakes.mjs';

async function both(page, name) {
  for (const [w, h] of [[1280, 800], [1024, 700]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(200);
    await screenshot(page, `${name}-${w}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
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
