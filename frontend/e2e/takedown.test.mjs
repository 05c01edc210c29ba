import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, libraryPhoto, fillBucket, makeJPEG, startFakes } from './fakes.mjs';
import { launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { adaQuote as quote, devEnv, recordAdaPaperConsent, recordWithdrawalByEmail, saveBrandKit } from './setup.mjs';

// A thank-you card, photo-like.
const thanksJPEG = (page) => makeJPEG(page, { from: '#e8f6f3', to: '#a9dfbf', quality: 0.9 }, (g) => {
  g.fillStyle = '#1f618d';
  g.fillRect(250, 380, 700, 140);
  g.fillStyle = '#ffffff';
  g.font = 'bold 60px sans-serif';
  g.fillText('Thank you, A.Q.', 370, 470);
});

test('takedown: a withdrawn consent behind an Instagram post shows Instagram’s own steps; “I have removed it” records it as removed by hand', async () => {
  const fakes = await startFakes();
  devEnv({ PRACTICEPOST_INSTAGRAM_GRAPH_URL: fakes.instagram, PRACTICEPOST_FACEBOOK_GRAPH_URL: fakes.facebook });
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'settings/brand');
    await saveBrandKit(page);

    // Instagram (through its Facebook Page) and the practice's bucket.
    await page.goto(app.url + '#/channels');
    await page.getByTestId('connect-instagram').click();
    await page.getByTestId('instagram-page').fill(fakes.instagramPageId);
    await page.getByTestId('instagram-token').fill(fakes.instagramToken);
    await page.getByTestId('instagram-connect').click();
    await page.getByTestId('channel-instagram').waitFor({ timeout: 15000 });
    await fillBucket(page, app, fakes);
    await page.getByTestId('hosting-secret').fill(fakes.bucketSecretKey);
    await page.getByTestId('hosting-save').click();
    await page.getByTestId('hosting-state').getByText(/Connected/).waitFor({ timeout: 15000 });

    // A paper consent covering Instagram, initials only, and its testimonial.
    const cons = await recordAdaPaperConsent(page, { channels: ['instagram'], signedOn: new Date().toISOString().slice(0, 10) });
    const tms = await call(page, 'TestimonialService', 'List');
    const tm = tms.find((t) => t.testimonial.consentId === cons.id);
    assert.ok(tm, 'the paper consent made its testimonial');

    // The post: the testimonial with a photo, to Instagram only, published now.
    const img = await libraryPhoto(page, 'thanks.jpg', await thanksJPEG(page), 'premises', 'A thank-you card on the reception desk');
    const draft = await call(page, 'DraftService', 'Create', {
      id: 0, title: 'A.Q.’s crown', body: `“${quote}” A.Q.`, versions: {}, channels: ['instagram'], hashtags: [], link: '', utm: false,
      campaign: '', pillar: 'testimonial', media: [{ mediaId: img.id, sha256: img.sha256, altText: 'A thank-you card on the reception desk' }],
      testimonials: [tm.testimonial.id], localTime: '', awarenessId: '',
    });
    await page.goto(app.url + '#/publish/' + draft.draft.id);
    await page.getByTestId('publish-panel').waitFor();
    assert.equal(await page.getByTestId('pick-instagram').isChecked(), true);
    await page.getByTestId('publish-now').click();
    const live = page.getByTestId('job-instagram').getByTestId('live-link');
    await live.waitFor({ timeout: 60000 });
    const postURL = await live.getAttribute('href');
    assert.match(postURL, /^https:\/\/www\.instagram\.com\/p\//);

    // The patient withdraws.
    await page.goto(app.url + `#/consents/${cons.id}`);
    await recordWithdrawalByEmail(page);
    // Close the "Withdrawal recorded" note so it does not cover the screenshots.
    const note = page.locator('.mantine-Notification-root').filter({ hasText: 'Withdrawal recorded' });
    await note.locator('button').click();
    await note.waitFor({ state: 'detached' });

    // The takedown list: Instagram's own steps, the link, no Delete.
    const list = page.getByTestId('takedown-list');
    const row = list.locator('[data-testid="takedown-instagram"][data-state="manual"]');
    await row.waitFor({ timeout: 15000 });
    assert.match(await row.getByTestId('takedown-instructions').textContent(), /Delete it yourself in the Instagram app: open the post, tap ⋯ and choose Delete/);
    assert.equal(await row.getByTestId('takedown-open').getAttribute('href'), postURL);
    assert.equal(await list.getByTestId('takedown-delete').count(), 0, 'no Delete button where Instagram cannot delete');
    // Once withdrawn, the takedown list is the one place on the page that links the live post.
    assert.equal(await page.locator(`a[href="${postURL}"]`).count(), 1);
    await row.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await screenshot(page, 'takedown-instagram-steps');

    // "I have removed it" asks first; "Not yet" changes nothing.
    await row.getByTestId('takedown-mark').click();
    const box = row.getByTestId('takedown-confirm-box');
    await box.waitFor();
    assert.match(await box.textContent(), /Is the post gone from Instagram\?/);
    await box.getByRole('button', { name: 'Not yet' }).click();
    assert.equal(await row.getByTestId('takedown-confirm-box').count(), 0);
    assert.equal(await row.getAttribute('data-state'), 'manual');

    await row.getByTestId('takedown-mark').click();
    await box.getByTestId('takedown-note').fill('Deleted on the practice phone by Sam');
    await box.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await screenshot(page, 'takedown-instagram-confirm');
    await box.getByTestId('takedown-confirm').click();

    const removed = list.locator('[data-testid="takedown-instagram"][data-state="removed_manually"]');
    await removed.waitFor({ timeout: 15000 });
    assert.match(await removed.getByTestId('takedown-removed').textContent(), /Deleted by hand on Instagram; marked as removed .+ by the practice manager\./);
    assert.match(await removed.textContent(), /Deleted on the practice phone by Sam/);
    assert.match(await list.textContent(), /Every post that used this consent has been taken down\./);
    await list.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await screenshot(page, 'takedown-instagram-removed');

    // It stays removed after a reload, and the log has the step, not the note.
    await page.reload();
    await removed.waitFor({ timeout: 15000 });
    // Nothing on the page links the post as live any more.
    assert.equal(await page.locator(`a[href="${postURL}"]`).count(), 0);
    await removed.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await screenshot(page, 'takedown-instagram-removed-reloaded');
    const log = await call(page, 'ActivityService', 'List', 0, 500);
    const text = JSON.stringify(log);
    assert.match(text, /publish\.takedown_removed_manually/);
    assert.ok(!text.includes('practice phone'), 'the note is not in the activity log');
    assert.ok(!text.includes(quote), 'the post text is not in the activity log');

    // Instagram itself was never asked to delete (it cannot be).
    const state = await fakes.control('/state', 'GET');
    assert.equal(state.instagram.length, 1);
  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
  }
});
