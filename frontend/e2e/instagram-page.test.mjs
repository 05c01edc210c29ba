import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, libraryPhoto, makeJPEG, startFakes } from './fakes.mjs';
import { launchBrowser, newHome, screenshot, startApp } from './harness.mjs';
import { devEnv, openEmptyChannels } from './setup.mjs';

// Instagram without a bucket (issue 19, docs/meta.md §4.2): connected with a
// Page token that may post to the Page, its image goes up as an unpublished
// photo on the Facebook Page, Instagram downloads it from Facebook's CDN, and
// the photo is deleted once the post is made. The fakes serve Facebook and
// Instagram on one origin, as graph.facebook.com does (cmd/fakeplatforms
// graph.go). A Page that will not delete the photo shows on Home, and "Try
// removing them again" removes it once the Page answers.
test('instagram through the Facebook Page: no bucket, the photo removed after posting, a stuck one shown on Home', async () => {
  const fakes = await startFakes();
  devEnv({ PRACTICEPOST_INSTAGRAM_GRAPH_URL: fakes.graph });
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openEmptyChannels(browser, app);
    await page.getByTestId('connect-instagram').click();
    await page.getByTestId('instagram-guide').waitFor();
    await page.getByTestId('instagram-page').fill(fakes.instagramPageId);
    await page.getByTestId('instagram-token').fill(fakes.facebookToken);
    await page.getByTestId('instagram-connect').click();
    const ig = page.getByTestId('channel-instagram');
    await ig.waitFor({ timeout: 15000 });
    assert.equal(await ig.getByTestId('instagram-image-route').getAttribute('data-route'), 'page');
    assert.match(await ig.getByTestId('instagram-image-note').textContent(), /through your Facebook Page — no storage bucket needed/);
    await ig.scrollIntoViewIfNeeded();
    await screenshot(page, 'instagram-page-route-1280');
    await page.setViewportSize({ width: 1024, height: 700 });
    await ig.scrollIntoViewIfNeeded();
    await screenshot(page, 'instagram-page-route-1024');
    await page.setViewportSize({ width: 1280, height: 800 });

    const b64 = await makeJPEG(page, { from: '#e8f6f3', to: '#a3e4d7', quality: 0.9 }, (g) => {
      g.fillStyle = '#117864';
      g.fillRect(200, 300, 800, 300);
    });
    const img = await libraryPhoto(page, 'reception.jpg', b64, 'premises', 'Our reception desk with green walls', 'Harbour Dental');
    const post = async (title, body) => {
      const d = await call(page, 'DraftService', 'Create', {
        id: 0, title, body, versions: {}, channels: ['instagram'], hashtags: [], link: '', utm: true, campaign: '', pillar: 'news',
        media: [{ mediaId: img.id, sha256: img.sha256, altText: 'Our reception desk with green walls' }], testimonials: [], localTime: '', awarenessId: '',
      });
      await page.goto(app.url + '#/publish/' + d.draft.id);
      assert.equal(await page.getByTestId('pick-instagram').isChecked(), true);
      assert.equal(await page.getByTestId('instagram-needs').count(), 0, 'through the Page Instagram needs no bucket');
      await page.getByTestId('publish-now').click();
      const link = page.getByTestId('job-instagram').getByTestId('live-link');
      await link.waitFor({ timeout: 60000 });
      assert.match(await link.getAttribute('href'), /^https:\/\/www\.instagram\.com\/p\//);
    };

    await post('Reception', 'Our reception has a fresh coat of green.');
    let state = await fakes.control('/state', 'GET');
    assert.equal(state.instagramViaPage.length, 1, 'exactly one Instagram post');
    assert.equal(state.instagramViaPage[0].AltText, 'Our reception desk with green walls');
    assert.equal(state.instagramViaPageFetches.length, 1);
    assert.ok(state.instagramViaPageFetches[0].startsWith(state.facebookCDN), `Instagram fetched ${state.instagramViaPageFetches[0]}, not Facebook's CDN`);
    assert.deepEqual(state.facebookUnpublishedPhotos ?? [], [], 'the photo is gone from the Page once Instagram has it');
    assert.equal((state.facebook ?? []).filter((p) => p.Published).length, 0, 'nothing was published on the Page');
    assert.deepEqual(state.bucketObjects ?? [], [], 'no bucket used');

    // The Page refuses to delete: the post still goes out; Home says where the photo is and what to do.
    await fakes.control('/fault?platform=facebook&method=DELETE&status=500&code=2');
    await post('Reception again', 'Another look at reception.');
    state = await fakes.control('/state', 'GET');
    assert.equal(state.instagramViaPage.length, 2);
    assert.equal((state.facebookUnpublishedPhotos ?? []).length, 1, 'the photo is still on the Page');
    await page.goto(app.url + '#/');
    const left = page.getByTestId('hosted-leftovers');
    await left.waitFor();
    assert.match(await left.textContent(), /1 image for Instagram.* is still on your Facebook Page \(unpublished, not shown to visitors\), since .*Meta Business Suite/);
    await screenshot(page, 'home-page-photo-leftover-1280');
    await fakes.control('/clear');
    await left.getByRole('button', { name: 'Try removing them again' }).click();
    await left.waitFor({ state: 'detached' });
    state = await fakes.control('/state', 'GET');
    assert.deepEqual(state.facebookUnpublishedPhotos ?? [], [], 'removed once the Page answers');
  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
  }
});
