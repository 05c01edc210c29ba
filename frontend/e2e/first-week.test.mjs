import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { call, startFakes, watchOpenedURLs } from './fakes.mjs';
import { artifacts, launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { devEnv } from './setup.mjs';
import { againstBaselines, boundCalls, countingUser, pointerDowns, stepTable, watchBoundCalls } from './steps.mjs';

// Issue 16, the first week: a new practice manager on a fresh data folder
// goes from Getting started to a testimonial post live on the three channels
// its consent allows (Facebook, Mastodon and Bluesky; not Instagram), each
// platform receiving the Studio design in the size it takes, and a second
// post scheduled, and Home says what went out and what goes next. Every
// click, field and key is the counting user's (steps.mjs), and the test
// never calls a bound Go method itself: the page records any call that the
// app's own code did not make, and there must be none.

// Today's counts before this walkthrough (issue 16's note), each the sum of
// the tasks it names. A count over its baseline fails the test.
const baselines = [
  { name: 'connect three channels and publish', tasks: ['connect three channels', 'post', 'publish now'], baseline: 40 },
  // The patient now also ticks Facebook, so that the walkthrough publishes to Facebook too and
  // each platform's size is checked: one more box on the form, allowed and printed as such.
  { name: 'patient + on-screen consent + PIN', tasks: ['PIN', 'patient', 'on-screen consent'], baseline: 22,
    more: { steps: 1, why: 'the patient also ticks Facebook' } },
];

const quote = 'The whole team put me at ease, and my new crown looks completely natural.';
const later = 'Our Saturday morning clinic is open again from next week: book at reception.';

/** The practice's date (DD/MM/YYYY, as a UK user types it) some days from now. */
function ukDay(daysAhead) {
  const d = new Date(Date.now() + daysAhead * 86400000);
  const [y, m, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(d).split('-');
  return `${day}/${m}/${y}`;
}

test('the first week: fresh install to a post live on three channels, each in its size, and one scheduled, every step counted, no bound method called by the test', async () => {
  const fakes = await startFakes();
  devEnv({ PRACTICEPOST_FACEBOOK_GRAPH_URL: fakes.facebook });
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  await watchBoundCalls(browser.context);
  let page = null;
  try {
    page = await openPage(browser, app);
    await page.setViewportSize({ width: 1280, height: 800 });
    // The app asks the system browser to open sign-in pages; the dev build hands them to the page instead.
    await watchOpenedURLs(page);
    const { user, task, rows, inAppPresses } = countingUser(page);
    // The sidebar: one click on a section's link.
    const nav = (key) => user.click(page.getByRole('navigation').locator(`a[href="#/${key}"]`));
    const startStep = (key) => page.getByTestId(`start-${key}`);
    // A closing dialog fades out: photograph (and scan) the page once it has gone.
    const shot = async (name, { dialog = false } = {}) => {
      if (!dialog) await page.waitForFunction(() => !document.querySelector('[role=dialog]'));
      await page.mouse.move(0, 0);
      await screenshot(page, `first-week-${name}`);
    };

    // ---------------------------------------------------------------- practice details
    task('practice details');
    await page.getByTestId('getting-started').waitFor();
    await shot('home-fresh');
    await user.click(startStep('details').getByRole('button', { name: /: open$/ }));
    await user.type(page.getByLabel('Practice name'), 'Harbour Dental Care');
    await user.type(page.getByLabel('Address'), '12 Quay Street, Falmouth TR11 3HH');
    await user.type(page.getByLabel('Email'), 'hello@harbourdental.example');
    await user.click(page.getByRole('button', { name: 'Save', exact: true }));
    await page.getByText('All changes saved.').waitFor();
    await nav('home');
    await user.click(startStep('privacy').getByRole('button', { name: /: open$/ }));
    await user.type(page.getByLabel('Privacy notice web address'), 'https://harbourdental.example/privacy');
    await user.type(page.getByLabel('How patients can withdraw'), 'email privacy@harbourdental.example or tell reception');
    await user.click(page.getByRole('button', { name: 'Save consent settings' }));
    await page.getByText('Consent settings saved.').waitFor();
    await shot('details');

    // ---------------------------------------------------------------- recovery key
    task('recovery key');
    await nav('home');
    await user.click(startStep('recovery').getByRole('button', { name: /: open$/ }));
    await user.click(page.getByTestId('recovery-make'));
    await page.getByTestId('recovery-words').waitFor();
    assert.equal(await page.getByTestId('recovery-word').count(), 14);
    await shot('recovery-words', { dialog: true });
    await user.click(page.getByTestId('recovery-kept'));
    await user.click(page.getByTestId('recovery-done'));
    await page.getByTestId('recovery-made').waitFor();

    // ---------------------------------------------------------------- patient
    task('patient');
    await nav('patients');
    await user.click(page.getByRole('button', { name: 'Add patient' }));
    const dlg = page.getByRole('dialog');
    await user.type(dlg.getByLabel('Full name'), 'Ada Quinn');
    await user.type(dlg.getByLabel('Date of birth'), '14/03/1968');
    await dlg.getByText('Read as 14 Mar 1968').waitFor();
    await user.type(dlg.getByLabel('Email'), 'ada@example.com');
    await user.click(dlg.getByRole('button', { name: 'Add patient' }));
    await page.getByRole('heading', { name: 'Ada Quinn' }).waitFor();
    await shot('patient');

    // ---------------------------------------------------------------- on-screen consent
    task('on-screen consent');
    await user.click(page.getByRole('button', { name: 'Ask for consent' }));
    await user.click(page.getByRole('menuitem', { name: 'On this screen' }));
    await user.type(page.getByTestId('request-quote'), quote);
    await shot('consent-request');
    await user.click(page.getByRole('button', { name: 'Hand to patient' }));
    // The first hand-over asks for the manager PIN (where today's count set it), then hands the form over.
    task('PIN');
    const pinDialog = page.getByRole('dialog', { name: 'Set a manager PIN' });
    await pinDialog.waitFor();
    await user.type(pinDialog.getByTestId('new-pin'), '1357');
    await user.type(pinDialog.getByTestId('confirm-pin'), '1357');
    await screenshot(page, 'first-week-pin');
    await user.click(pinDialog.getByRole('button', { name: 'Save PIN' }));
    task('on-screen consent');
    const signing = page.getByTestId('signing-screen');
    await signing.waitFor();
    for (const box of ['My first name only', 'Facebook', 'Mastodon', 'Bluesky']) {
      await user.click(signing.getByRole('checkbox', { name: box, exact: true }));
    }
    await user.type(signing.getByTestId('typed-name'), 'Ada Quinn');
    await user.draw(signing.getByTestId('signature-pad'));
    await shot('signing');
    await user.click(signing.getByTestId('sign-button'));
    await page.getByTestId('signing-done').waitFor();
    await user.click(page.getByRole('button', { name: 'Staff: unlock' }));
    await user.type(page.getByTestId('unlock-pin'), '1357');
    await user.click(page.getByRole('button', { name: 'Unlock', exact: true }));
    await page.getByRole('heading', { name: /^Consent #\d+$/ }).waitFor();
    await shot('consent-signed');

    // ---------------------------------------------------------------- testimonial
    task('testimonial');
    await nav('testimonials');
    const card = page.getByTestId('testimonial-card').filter({ hasText: quote });
    await card.waitFor();
    for (const p of ['facebook', 'mastodon', 'bluesky']) {
      assert.equal(await card.getByTestId(`verdict-${p}`).getAttribute('data-publishable'), 'true', `${p} is allowed`);
    }
    for (const p of ['instagram']) assert.equal(await card.getByTestId(`verdict-${p}`).getAttribute('data-publishable'), 'false', `${p} is refused`);
    await shot('testimonial');

    // ---------------------------------------------------------------- image
    task('image');
    await user.click(card.getByRole('button', { name: 'Make an image' }));
    const approved = page.getByTestId('quote-from-testimonial');
    await approved.waitFor({ timeout: 15000 });
    assert.equal(await approved.inputValue(), quote);
    await user.click(page.getByRole('button', { name: 'Render all sizes' }));
    await page.getByTestId('sizes-panel').waitFor({ timeout: 90000 });
    await user.type(page.getByLabel('Alt text'), `Quote card: “${quote}” Ada, a patient.`);
    await shot('image');
    await user.click(page.getByTestId('studio-use-in-post'));
    await page.waitForFunction(() => /^#\/drafts\/\d+$/.test(window.location.hash), null, { timeout: 20000 });
    const postHash = await page.evaluate(() => window.location.hash);
    await page.getByTestId('guard-status').waitFor();
    await shot('post-from-image');

    // ---------------------------------------------------------------- connect three channels
    task('connect three channels');
    await nav('channels');
    await page.getByTestId('no-channels').waitFor();
    await user.click(page.getByTestId('connect-mastodon'));
    await user.type(page.getByTestId('mastodon-instance'), fakes.mastodon);
    await user.click(page.getByTestId('mastodon-connect'));
    const authURL = await (await page.waitForFunction(() => window.__opened[0], null, { timeout: 15000 })).jsonValue();
    assert.ok(authURL.startsWith(fakes.mastodon + '/oauth/authorize?'), authURL);
    // The system browser opens the sign-in page; the user approves there.
    const tab = await browser.context.newPage();
    await tab.goto(authURL);
    await user.approve(tab, (t) => t.getByText('PracticePost is now connected to Mastodon').waitFor());
    await tab.close();
    await page.getByTestId('channel-mastodon').waitFor({ timeout: 15000 });
    await user.click(page.getByTestId('connect-bluesky'));
    await user.type(page.getByTestId('bluesky-handle'), fakes.blueskyHandle);
    await user.type(page.getByTestId('bluesky-password'), fakes.blueskyAppPassword);
    // Only the fake needs a server typed; a practice on Bluesky's own leaves it empty.
    await user.type(page.getByTestId('bluesky-server'), fakes.bluesky);
    await user.click(page.getByTestId('bluesky-connect'));
    await page.getByTestId('channel-bluesky').waitFor({ timeout: 15000 });
    await user.click(page.getByTestId('connect-facebook'));
    await user.type(page.getByTestId('facebook-page'), fakes.facebookPageId);
    await user.type(page.getByTestId('facebook-token'), fakes.facebookToken);
    await user.click(page.getByTestId('facebook-connect'));
    await page.getByTestId('channel-facebook').waitFor({ timeout: 15000 });
    await shot('channels');

    // ---------------------------------------------------------------- post
    task('post');
    await nav('drafts');
    await user.click(page.getByRole('link').filter({ hasText: /^Testimonial \d+/ }));
    await page.waitForFunction((h) => window.location.hash === h, postHash);
    // The post made from the quote card starts on the channels Ada's consent allows, and no other.
    const postTo = page.getByRole('group', { name: 'Post to' });
    for (const ch of ['Facebook', 'Mastodon', 'Bluesky']) assert.equal(await postTo.getByRole('checkbox', { name: ch, exact: true }).isChecked(), true, `${ch} ticked`);
    for (const ch of ['Instagram']) assert.equal(await postTo.getByRole('checkbox', { name: ch, exact: true }).isChecked(), false, `${ch}, which the consent refuses, is ticked`);
    await page.getByTestId('publish-button').and(page.locator(':not([disabled])')).waitFor({ timeout: 15000 });
    // The design is attached once; each channel's preview shows the size that channel gets.
    for (const [ch, size] of [['facebook', '1080x1080'], ['mastodon', '1600x900'], ['bluesky', '1600x900']]) {
      assert.equal(await page.getByTestId(`preview-image-${ch}`).getAttribute('data-size'), size, `${ch}'s preview`);
    }
    await shot('post');
    // The preview, scrolled to (no click): the Facebook tab says which size Facebook gets.
    await page.getByTestId('preview-size-facebook').scrollIntoViewIfNeeded();
    await shot('post-preview');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByTestId('preview-size-facebook').scrollIntoViewIfNeeded();
    await shot('post-preview-1024');
    await page.setViewportSize({ width: 1280, height: 800 });
    await user.click(page.getByTestId('publish-button'));

    // ---------------------------------------------------------------- publish now
    task('publish now');
    await page.getByTestId('publish-panel').waitFor();
    // Each channel says which size of the design it sends.
    for (const [p, size] of [['facebook', '1080×1080'], ['mastodon', '1600×900'], ['bluesky', '1600×900']]) {
      assert.equal(await page.getByTestId(`pick-${p}`).isChecked(), true, `${p} ticked`);
      await page.getByText(`Image: ${size}`).first().waitFor();
      assert.ok((await page.getByTestId('publish-panel').textContent()).includes(`Image: ${size}`), `${p} shows ${size}`);
    }
    await user.click(page.getByTestId('publish-now'));
    for (const p of ['facebook', 'mastodon', 'bluesky']) {
      await page.getByTestId(`job-${p}`).getByTestId('live-link').waitFor({ timeout: 60000 });
    }
    await shot('published');
    await page.setViewportSize({ width: 1024, height: 700 });
    await shot('published-1024');
    await page.setViewportSize({ width: 1280, height: 800 });
    const state = await fakes.control('/state', 'GET');
    for (const p of ['facebook', 'mastodon', 'bluesky']) assert.equal(state[p].filter((s) => !s.Deleted).length, 1, `one post on ${p}`);
    // Each platform received the design in the size it takes, read from the uploaded image's own header.
    assert.equal(state.facebook[0].PhotoSize, '1080x1080', 'Facebook got the square');
    assert.deepEqual(state.mastodon[0].Sizes, ['1600x900'], 'Mastodon got the 16:9');
    assert.deepEqual(state.bluesky[0].Sizes, ['1600x900'], 'Bluesky got the 16:9');

    // ---------------------------------------------------------------- schedule a second post
    task('schedule a second post');
    await nav('drafts');
    await user.click(page.getByRole('button', { name: 'New post' }));
    await page.getByTestId('draft-body').waitFor();
    // A new post starts on the channels the practice has connected (Facebook, Mastodon and Bluesky),
    // not on Instagram, which is not connected: nothing to untick or tick.
    const newPostTo = page.getByRole('group', { name: 'Post to' });
    for (const [ch, on] of [['Facebook', true], ['Mastodon', true], ['Bluesky', true], ['Instagram', false], ['LinkedIn', false]]) {
      assert.equal(await newPostTo.getByRole('checkbox', { name: ch, exact: true }).isChecked(), on, `${ch} ticked: ${on}`);
    }
    await user.type(page.getByTestId('draft-body'), later);
    await user.type(page.getByTestId('draft-day'), ukDay(2));
    await user.type(page.getByTestId('draft-time'), '09:30');
    await user.click(page.getByRole('button', { name: 'Schedule', exact: true }));
    await page.getByTestId('scheduled-at').waitFor({ timeout: 15000 });
    await shot('scheduled');

    // ---------------------------------------------------------------- Home
    task('Home');
    await nav('home');
    const week = page.getByTestId('week-card');
    await week.waitFor();
    // Each line is the post's first words (long ones are shortened), then when and where.
    const nextCard = week.locator('.mantine-Card-root').filter({ hasText: 'Going out next' });
    const wentCard = week.locator('.mantine-Card-root').filter({ hasText: 'Went out this week' });
    await nextCard.getByText(later.slice(0, 40), { exact: false }).waitFor();
    const nextText = await nextCard.textContent();
    assert.ok(/Mastodon/.test(nextText) && /Bluesky/.test(nextText), `Going out next names both channels: ${nextText}`);
    await wentCard.getByText(`“${quote.slice(0, 40)}`, { exact: false }).first().waitFor();
    assert.equal(await wentCard.getByText(later.slice(0, 40), { exact: false }).count(), 0, 'the scheduled post is not among those that went out');
    const links = await wentCard.getByRole('link').evaluateAll((as) => as.map((a) => [a.textContent.trim(), a.getAttribute('href')]));
    for (const name of ['Mastodon', 'Bluesky']) {
      assert.ok(links.some(([t, h]) => t.startsWith(name) && /^https?:/.test(h)), `Home links the live ${name} post: ${JSON.stringify(links)}`);
    }
    await shot('home-after');

    // ---------------------------------------------------------------- the counts
    const table = rows();
    const compared = againstBaselines(table, baselines);
    console.log(stepTable(table, compared));
    // Every press the page saw was a counted click or stroke: nothing went round the user.
    assert.equal(await pointerDowns(page), inAppPresses(), 'pointer presses in the app differ from the counted clicks');
    const bound = await boundCalls(page);
    console.log(`bound methods: ${bound.app} calls by the app, ${bound.direct.length} by the test`);
    assert.ok(bound.app > 0, 'the recorder saw no calls at all: it is not installed');
    assert.deepEqual(bound.direct, [], `the test called bound methods itself:\n${bound.stacks.join('\n')}`);
    for (const c of compared) assert.ok(!c.over, `${c.name}: ${c.total} steps, more than the ${c.baseline} before`);
  } catch (e) {
    // Where it stopped, for whoever reads the failure.
    await page?.screenshot({ path: join(artifacts, 'first-week-failed.png') }).catch(() => undefined);
    throw e;
  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
  }
});

test('the recorder catches a direct call to a bound method, and the app\'s own calls are not counted as direct', async () => {
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  await watchBoundCalls(browser.context);
  try {
    const page = await openPage(browser, app);
    await page.getByTestId('getting-started').waitFor();
    const before = await boundCalls(page);
    assert.ok(before.app > 0, 'the app loaded Home without a bound call seen');
    assert.deepEqual(before.direct, []);
    // What fakes.mjs call() does; the walkthrough above must never.
    await call(page, 'BrandService', 'Get');
    const after = await boundCalls(page);
    assert.deepEqual(after.direct, ['service.BrandService.Get']);
  } finally {
    await browser.close();
    await app.stop();
  }
});

test('a task group over its baseline is reported as over', () => {
  const rows = [
    { name: 'a', clicks: 10, typed: 5, keys: 0, total: 15 },
    { name: 'b', clicks: 3, typed: 2, keys: 1, total: 6 },
  ];
  const [under, over] = againstBaselines(rows, [
    { name: 'both', tasks: ['a', 'b'], baseline: 21 },
    { name: 'a alone', tasks: ['a'], baseline: 14 },
  ]);
  assert.deepEqual([under.total, under.over], [21, false]);
  assert.deepEqual([over.total, over.over], [15, true]);
  assert.throws(() => againstBaselines(rows, [{ name: 'x', tasks: ['c'], baseline: 1 }]), /no task named c/);
  assert.match(stepTable(rows, [over]), /a alone: 15 steps \(before: 14\)  OVER/);
  // An allowance is printed with its reason and covers only its own steps.
  const [allowed, past] = againstBaselines(rows, [
    { name: 'a with one more', tasks: ['a'], baseline: 14, more: { steps: 1, why: 'one more box' } },
    { name: 'b with one more', tasks: ['b'], baseline: 4, more: { steps: 1, why: 'one more box' } },
  ]);
  assert.deepEqual([allowed.over, past.over], [false, true]);
  assert.match(stepTable(rows, [allowed]), /a with one more: 15 steps \(before: 14; \+1 allowed: one more box\)$/m);
});
