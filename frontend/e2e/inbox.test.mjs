import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startFakes, watchOpenedURLs } from './fakes.mjs';
import { launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { devEnv } from './setup.mjs';

/** Follows the newest sign-in page the app asked to open, as the system browser would. */
async function followSignIn(page, browser, index, provider) {
  const authURL = await (await page.waitForFunction((i) => window.__opened[i], index, { timeout: 15000 })).jsonValue();
  const tab = await browser.context.newPage();
  await tab.goto(authURL);
  await tab.getByText(`PracticePost is now connected to ${provider}`).waitFor();
  await tab.close();
}

test('inbox: a negative Google review, an unsafe reply blocked with its reason and a safe rewrite, the template reply sent, Home count drops', async () => {
  const fakes = await startFakes();
  devEnv({ PRACTICEPOST_GOOGLE_URL: fakes.google, PRACTICEPOST_GOOGLE_OAUTH: fakes.googleOAuth, PRACTICEPOST_OAUTH_CLIENT_ID: fakes.oauthClientId });
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'channels');
    await call(page, 'BrandService', 'Save', {
      practiceName: 'Your Smile Dental', country: 'GB', phone: '0117 496 0123', email: 'hello@yoursmile.example', address: '', website: '',
      disclaimer: '', hashtags: [], clinicians: [], headingFont: 'Inter', bodyFont: 'Inter',
      colors: { primary: '#0B6E6E', secondary: '#E7F3F1', accent: '#F2A541', text: '#1F2933', background: '#FFFFFF' },
    });
    await watchOpenedURLs(page);
    await page.getByTestId('connect-google').click();
    await page.getByTestId('google-signin').click();
    await followSignIn(page, browser, 0, 'Google');
    await page.getByTestId('google-locations').waitFor({ timeout: 15000 });
    await page.getByTestId('google-location-9988776655').click();
    await page.getByTestId('google-choose').click();
    await page.getByTestId('channel-google').waitFor({ timeout: 15000 });

    await fakes.control('/review?reviewer=' + encodeURIComponent('Jane Smith') + '&stars=1&comment=' +
      encodeURIComponent('My crown came loose two days after my appointment. Not impressed.'));
    await fakes.control('/review?reviewer=Tom&stars=5&comment=' + encodeURIComponent('Lovely friendly team!'));

    await page.goto(app.url + '#/inbox');
    await page.getByTestId('inbox-refresh').click();
    await page.getByTestId('inbox-refreshed').waitFor({ timeout: 15000 });
    const threads = page.getByTestId('inbox-thread');
    await assert.doesNotReject(threads.nth(1).waitFor());
    assert.match(await page.getByTestId('inbox-count').textContent(), /2 waiting/);
    // Unanswered first, the longest waiting at the top: Jane's one-star review.
    const first = threads.first();
    assert.match(await first.textContent(), /Jane Smith/);
    assert.equal(await first.getByTestId('stars').getAttribute('aria-label'), '1 out of 5 stars');

    // Home shows the count and the oldest waiting.
    await page.goto(app.url + '#/home');
    await page.getByTestId('home-inbox').waitFor();
    assert.match(await page.getByTestId('home-inbox-count').textContent(), /^2 comments or reviews waiting/);

    await page.goto(app.url + '#/inbox');
    await threads.first().waitFor();
    await threads.first().getByTestId('inbox-reply-open').click();
    await page.getByTestId('reply-text').fill('Sorry your crown came loose, Mrs Smith');
    await page.getByTestId('reply-block').first().waitFor({ timeout: 10000 });
    const blocks = await page.getByTestId('reply-block').allTextContents();
    assert.ok(blocks.some((b) => /Mrs Smith/.test(b) && /names the person/.test(b)), blocks.join('\n'));
    assert.ok(blocks.some((b) => /your crown/.test(b) && /Try instead: .*0117 496 0123/.test(b)), blocks.join('\n'));
    // Only wording that can be used as it is gets a "Use this" button.
    assert.equal(await page.getByTestId('reply-block').filter({ hasText: 'Mrs Smith' }).getByRole('button', { name: 'Use this' }).count(), 0);
    assert.equal(await page.getByTestId('reply-send').isDisabled(), true);
    assert.match(await page.getByTestId('reply-why').textContent(), /Change the highlighted words/);
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'inbox-blocked-1280');
    await page.setViewportSize({ width: 1024, height: 700 });
    await screenshot(page, 'inbox-blocked-1024');

    // The safe rewrite offered for "your crown" is usable as it is.
    await page.getByTestId('reply-block').filter({ hasText: 'your crown' }).getByRole('button', { name: 'Use this' }).click();
    await page.getByTestId('reply-clear').waitFor({ timeout: 10000 });
    assert.match(await page.getByTestId('reply-text').inputValue(), /call us on 0117 496 0123/);

    // The suggested template (negative review) passes and is sent.
    await page.getByTestId('template-menu').click();
    await page.getByTestId('template-negative_review').click();
    await page.getByTestId('reply-clear').waitFor({ timeout: 10000 });
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'inbox-template-1280');
    await page.getByTestId('reply-send').click();
    await page.getByTestId('reply-sent').waitFor({ timeout: 15000 });
    assert.match(await page.getByTestId('reply-sent').textContent(), /Reply sent/);
    const state = await fakes.control('/state', 'GET');
    const jane = state.googleReviews.find((r) => r.Reviewer === 'Jane Smith');
    assert.match(jane.Reply, /We can't discuss anyone's care online/);
    assert.doesNotMatch(jane.Reply, /Smith|crown/);

    await page.getByTestId('inbox-count').filter({ hasText: '1 waiting' }).waitFor({ timeout: 10000 });
    const answered = page.locator('[data-testid="inbox-thread"][data-answered="yes"]');
    await answered.first().waitFor();
    assert.match(await answered.first().textContent(), /Jane Smith/);
    await page.setViewportSize({ width: 1024, height: 700 });
    await screenshot(page, 'inbox-answered-1024');

    await page.goto(app.url + '#/home');
    await page.getByTestId('home-inbox').waitFor();
    assert.match(await page.getByTestId('home-inbox-count').textContent(), /^1 comment or review waiting/);
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'inbox-home-1280');

    // Everything was logged.
    const log = await call(page, 'ActivityService', 'List', 0, 50);
    const actions = log.entries.map((e) => e.action);
    for (const a of ['inbox.reply_attempt', 'inbox.reply']) assert.ok(actions.includes(a), actions.join(' '));
  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
  }
});
