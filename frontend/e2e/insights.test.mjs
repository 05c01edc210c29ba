import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, connectFacebook, connectMastodon, startFakes } from './fakes.mjs';
import { artifacts, launchBrowser, newHome, openPage, screenshot, startApp } from './harness.mjs';
import { devEnv, wallClock } from './setup.mjs';

const ZONE = 'Europe/London';

const posts = [
  { title: 'Floss once a day', pillar: 'tip', body: 'Floss once a day: it reaches where your brush cannot.' },
  { title: 'Myth: sugar-free is tooth-safe', pillar: 'myth_fact', body: 'Myth: sugar-free drinks are safe for teeth. Fact: many are acidic.' },
  { title: 'Meet our new hygienist', pillar: 'team', body: 'Say hello to the newest member of our hygiene team.' },
  { title: 'Open late on Thursdays', pillar: 'news', body: 'From next week we are open until 8pm on Thursdays.' },
  { title: 'Smile month quiz night', pillar: 'event', body: 'Join our smile month quiz night on the 20th. Everyone welcome.' },
  { title: 'Brush for two minutes', pillar: 'tip', body: 'Two minutes, twice a day. Set a timer!' },
];

// What the fakes hold after two /advance-metrics?seed=7 steps, for the
// post that reached the fake i-th (the posts above, in order: each channel
// sends its jobs one after another). cmd/fakeplatforms gives count k of post
// i at step 2 as ((7*31 + 17i + 7k) % 11 + 1) * 2 * scale / 2, that is
// f(i,k) * scale with f(i,k) = (8 + 6i + 7k) % 11 + 1:
//   f(i,1..5): i0 5 1 8 4 11 · i1 11 7 3 10 6 · i2 6 2 9 5 1 · i3 1 8 4 11 7 · i4 7 3 10 6 2 · i5 2 9 5 1 8
// Facebook: reactions 3f1, comments f2, shares f3, people reached 40f4
// (post_total_media_view_unique, also its views), clicks 2f5. Mastodon: favourites 2f1 as
// reactions, reblogs f2 as shares, replies f3 as comments; it has no
// reach, views or clicks, so those cells are empty.
const expectedCSV = {
  //                                       reactions comments shares reach clicks
  facebook: [[15, 1, 8, 160, 22], [33, 7, 3, 400, 12], [18, 2, 9, 200, 2], [3, 8, 4, 440, 14], [21, 3, 10, 240, 4], [6, 9, 5, 40, 16]],
  mastodon: [[10, 8, 1, '', ''], [22, 3, 7, '', ''], [12, 9, 2, '', ''], [2, 4, 8, '', ''], [14, 10, 3, '', ''], [4, 5, 9, '', '']],
};
// Followers after step 2: Facebook 820 + 2*3, Mastodon 300 + 2*4.
const expectedFollowers = { facebook: 826, mastodon: 308 };

/** The rows of a CSV file (RFC 4180: quoted cells, doubled quotes). */
function parseCSV(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') cell += text[++i];
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

test('insights: posts published to the fakes, their numbers advanced, Insights opened: totals, daily chart, pillars, top posts, best time, a sortable table, the CSV and the monthly PDF', async () => {
  const fakes = await startFakes();
  // The development build's save dialog answers from this folder (main_dialogs_dev.go).
  const saveDir = mkdtempSync(join(tmpdir(), 'pp-save-'));
  devEnv({ PRACTICEPOST_FACEBOOK_GRAPH_URL: fakes.facebook, PRACTICEPOST_SAVE_DIR: saveDir });
  delete process.env.PRACTICEPOST_CLOCK_OFFSET;
  const app = await startApp(newHome());
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, app, 'insights');
    // Nothing connected yet: the page says what to do.
    await page.getByText('No channels connected yet').waitFor({ timeout: 15000 });

    await page.goto(app.url + '#/channels');
    await call(page, 'CalendarService', 'SaveSettings', ZONE, ['dental']);
    await page.getByTestId('no-channels').waitFor();
    await connectMastodon(page, browser, fakes);
    await connectFacebook(page, fakes);

    const ids = [];
    for (const p of posts) {
      const v = await call(page, 'DraftService', 'Create', {
        id: 0, title: p.title, body: p.body, versions: {}, channels: ['facebook', 'mastodon'], hashtags: [], link: '', utm: false, campaign: '',
        pillar: p.pillar, media: [], testimonials: [], localTime: '', awarenessId: '',
      });
      await call(page, 'PublishService', 'Publish', { draftId: v.draft.id, channels: [], date: '', clock: '' });
      ids.push(v.draft.id);
    }
    // Every post live on both channels.
    const deadline = Date.now() + 60000;
    for (;;) {
      const jobs = (await Promise.all(ids.map((id) => call(page, 'PublishService', 'Jobs', id)))).flat();
      if (jobs.length === 12 && jobs.every((j) => j.state === 'published')) break;
      assert.ok(Date.now() < deadline, `not all published: ${JSON.stringify(jobs.map((j) => j.state))}`);
      await page.waitForTimeout(500);
    }

    // The fakes' numbers move on twice (seeded, so the same every run).
    // The month the posts went out in (the practice's), and the UTC day the
    // numbers are read on (a run may cross midnight: either day will do).
    const month = wallClock(ZONE, Date.now()).date.slice(0, 7);
    const readDays = [new Date().toISOString().slice(0, 10)];
    await fakes.control('/advance-metrics?seed=7');
    await fakes.control('/advance-metrics?seed=7');

    // Opening Insights reads the numbers (the channels were never read).
    await page.goto(app.url + '#/insights');
    await page.getByTestId('insights-page').waitFor();
    await page.getByTestId('insights-top-posts').waitFor({ timeout: 30000 });
    await page.getByTestId('insights-daily-chart').locator('path.recharts-rectangle').first().waitFor({ timeout: 15000 });
    const totals = await page.getByTestId('insights-totals').textContent();
    assert.match(totals, /Posts12/, totals);
    const interactions = Number(/Interactions([\d,]+)/.exec(totals)[1].replace(/,/g, ''));
    assert.ok(interactions > 0, totals);
    // The totals come from the data file; the reading of the platforms may
    // still be under way ("reading Facebook …") when they show.
    await page.getByTestId('insights-updated').getByText(/updated (just now|1 minute ago)/).waitFor({ timeout: 30000 }).catch(() => {});
    assert.match(await page.getByTestId('insights-updated').textContent(), /updated (just now|1 minute ago)/);

    // What only PracticePost knows: pillars (tip has two posts on each channel = 4).
    await page.getByTestId('insights-pillars').locator('path.recharts-rectangle').first().waitFor();
    assert.match(await page.getByTestId('insights-pillars').textContent(), /Tip \(4\)/);
    // Twelve posts, all published within a minute: the best hour is this hour
    // or, with too few in a slot, no claim is made. Either way the sample is said.
    assert.match(await page.getByTestId('insights-best-time').textContent(), /posts/);

    // Each platform's rate basis is said on the page.
    const channels = await page.getByTestId('insights-channel-table').textContent();
    assert.match(channels, /Mastodon: interactions ÷ followers/);
    assert.match(channels, /Facebook: interactions ÷ people reached/);

    // The table sorts by any column.
    const firstTitle = () => page.getByTestId('insights-posts-table').locator('tbody tr').first().locator('td').first().textContent();
    await page.getByTestId('sort-title').click();
    assert.equal(await firstTitle(), 'Brush for two minutes');
    await page.getByTestId('sort-title').click();
    assert.equal(await firstTitle(), 'Smile month quiz night');

    // Numbers for the Export are there (the save dialog itself is native).
    assert.equal(await page.getByTestId('insights-export').getAttribute('data-disabled'), null, 'Export CSV is offered when the period has posts');
    // The monthly report needs a month: until one is chosen it says so on hover.
    await page.getByTestId('insights-report').hover();
    await page.getByText('Choose Month below').waitFor();

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => window.scrollTo(0, 0));
    // Reading is over: the header says when, and nothing spins.
    await page.getByTestId('insights-updated').filter({ hasNotText: 'reading' }).waitFor({ timeout: 10000 });
    await page.mouse.move(0, 0);
    await page.waitForTimeout(400);
    await screenshot(page, 'insights-1280');
    await page.getByTestId('insights-best-time').scrollIntoViewIfNeeded();
    await screenshot(page, 'insights-1280-lower');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(400);
    await screenshot(page, 'insights-1024');

    // The monthly report is for a calendar month: the one the posts went out in.
    await page.setViewportSize({ width: 1280, height: 800 });
    const monthName = new Date(month + '-15T12:00:00Z').toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    await page.getByTestId('insights-period').getByText('Month', { exact: true }).click();
    await page.getByRole('combobox', { name: 'Month' }).click();
    await page.getByRole('option', { name: monthName, exact: true }).click();
    await page.getByTestId('insights-updated').filter({ hasText: monthName }).waitFor();
    await page.getByTestId('insights-totals').filter({ hasText: 'Posts12' }).waitFor();
    const monthTotals = await page.getByTestId('insights-totals').textContent();

    // Export CSV, as a person clicks it; the save dialog answers from saveDir.
    const saved = page.getByTestId('insights-save-result');
    await page.getByTestId('insights-export').click();
    await saved.filter({ hasText: 'Numbers saved to' }).waitFor({ timeout: 30000 });
    const csvName = readdirSync(saveDir).find((f) => f.endsWith('.csv'));
    assert.match(csvName, new RegExp(`^PracticePost insights ${month}-01 to ${month}-\\d\\d\\.csv$`));
    assert.ok((await saved.textContent()).includes(`Numbers saved to ${join(saveDir, csvName)}`), await saved.textContent());
    const rows = parseCSV(readFileSync(join(saveDir, csvName), 'utf8'));
    assert.deepEqual(rows[0], ['Date', 'Channel', 'Platform', 'Row', 'Post', 'Published', 'Pillar', 'Testimonial', 'Awareness day',
      'Reactions', 'Comments', 'Shares', 'Quotes', 'Saves', 'Views', 'Reach', 'Clicks', 'Followers', 'Calls', 'Directions', 'Rolled up']);
    const col = Object.fromEntries(rows[0].map((h, i) => [h, i]));
    // One row per post reading (6 posts × 2 channels, read once) and one
    // per channel day (2 channels, that day).
    const postRows = rows.slice(1).filter((r) => r[col.Row] === 'post');
    const channelRows = rows.slice(1).filter((r) => r[col.Row] === 'channel');
    assert.equal(rows.length, 1 + 12 + 2, JSON.stringify(rows));
    assert.equal(postRows.length, 12);
    assert.equal(channelRows.length, 2);
    // Readings are filed under the UTC day they were taken, all on one.
    readDays.push(new Date().toISOString().slice(0, 10));
    const readDay = rows[1][col.Date];
    assert.ok(readDays.includes(readDay), `readings filed on ${readDay}, not ${readDays}`);
    for (const r of postRows) {
      const i = posts.findIndex((p) => p.title === r[col.Post]);
      assert.ok(i >= 0, `unknown post ${r[col.Post]}`);
      const [reactions, comments, shares, reach, clicks] = expectedCSV[r[col.Platform]][i];
      const got = [r[col.Reactions], r[col.Comments], r[col.Shares], r[col.Reach], r[col.Clicks]];
      assert.deepEqual(got, [reactions, comments, shares, reach, clicks].map(String), `${r[col.Platform]} · ${r[col.Post]}`);
      assert.equal(r[col.Date], readDay);
      assert.equal(r[col.Pillar], posts[i].pillar);
      // Facebook's one figure, unique viewers, is both its views and its reach.
      assert.equal(r[col.Views], r[col.Platform] === 'facebook' ? String(reach) : '', 'Views');
      assert.equal(r[col.Quotes], '0');
      assert.equal(r[col['Rolled up']], 'no');
      assert.match(r[col.Published], new RegExp(`^${month}-\\d\\d \\d\\d:\\d\\d$`));
    }
    assert.deepEqual(postRows.map((r) => `${r[col.Platform]} ${r[col.Post]}`).sort(),
      posts.flatMap((p) => [`facebook ${p.title}`, `mastodon ${p.title}`]).sort(), 'each post once on each channel');
    assert.deepEqual(channelRows.map((r) => [r[col.Platform], r[col.Followers], r[col.Date]]).sort(),
      [['facebook', String(expectedFollowers.facebook), readDay], ['mastodon', String(expectedFollowers.mastodon), readDay]]);
    // The page's interactions are the CSV's reactions + comments + shares (+ quotes + saves, 0 here):
    // Facebook 24 + 43 + 29 + 15 + 34 + 20 = 165, Mastodon 19 + 32 + 23 + 14 + 27 + 18 = 133; 298 in all.
    const csvInteractions = postRows.reduce((n, r) => n + ['Reactions', 'Comments', 'Shares', 'Quotes', 'Saves'].reduce((m, h) => m + Number(r[col[h]]), 0), 0);
    assert.equal(csvInteractions, 298);
    assert.equal(/Interactions([\d,]+)/.exec(monthTotals)?.[1], '298', monthTotals);

    // The monthly report, as a person clicks it.
    await page.getByTestId('insights-report').click();
    await saved.filter({ hasText: 'Report saved to' }).waitFor({ timeout: 30000 });
    const pdfPath = join(saveDir, `PracticePost report ${month}.pdf`);
    const pdf = readFileSync(pdfPath);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    // Turned into a picture to look at, next to the screenshots.
    const pngDir = mkdtempSync(join(tmpdir(), 'pp-report-png-'));
    execFileSync('pdftoppm', ['-png', '-r', '80', pdfPath, join(pngDir, 'page')]);
    const pages = readdirSync(pngDir).filter((f) => f.endsWith('.png'));
    assert.deepEqual(pages, ['page-1.png'], 'a one-page report');
    const png = readFileSync(join(pngDir, pages[0]));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    mkdirSync(artifacts, { recursive: true });
    copyFileSync(join(pngDir, pages[0]), join(artifacts, 'insights-report-page.png'));
    rmSync(pngDir, { recursive: true, force: true });
    await page.mouse.move(0, 0);
    await page.waitForTimeout(400);
    await screenshot(page, 'insights-month-saved');

    // Cancelling the save dialog saves nothing and says nothing.
    const before = readdirSync(saveDir).sort();
    writeFileSync(join(saveDir, 'cancel'), '');
    for (const button of ['insights-export', 'insights-report']) {
      // The button is busy from the click until the app answers; a watcher
      // notes that it was, however briefly, so the check below comes after the answer.
      await page.evaluate((id) => {
        window.__wasBusy = false;
        new MutationObserver((records) => {
          if (records.some((r) => r.attributeName === 'data-loading')) window.__wasBusy = true;
        }).observe(document.querySelector(`[data-testid="${id}"]`), { attributes: true });
      }, button);
      await page.getByTestId(button).click();
      await page.waitForFunction((id) => window.__wasBusy && !document.querySelector(`[data-testid="${id}"]`).hasAttribute('data-loading'), button);
      assert.equal(await saved.count(), 0, `${button}: a message after Cancel`);
    }
    assert.deepEqual(readdirSync(saveDir).sort(), [...before, 'cancel'].sort());

    // A folder that cannot be written to (here: gone, as a removed USB
    // stick is) gets a message naming the screen and what to do, and no file.
    rmSync(saveDir, { recursive: true, force: true });
    await page.getByTestId('insights-export').click();
    await saved.filter({ hasText: 'Not saved' }).waitFor({ timeout: 30000 });
    assert.match(await saved.textContent(),
      /The CSV file could not be saved in .*pp-save-\w+: that folder does not exist any more\. On Insights, click Export CSV again and choose a folder you can save to, such as Documents\./);
    assert.equal(existsSync(saveDir), false, 'nothing was written');
    await page.mouse.move(0, 0);
    await page.waitForTimeout(400);
    await screenshot(page, 'insights-save-failed');

    // The post's own page shows its numbers per channel.
    await page.goto(app.url + '#/publish/' + ids[0]);
    const numbers = page.getByTestId('post-numbers');
    await numbers.waitFor({ timeout: 15000 });
    assert.match(await numbers.textContent(), /Facebook.*Mastodon/s);
    await numbers.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await screenshot(page, 'insights-post-numbers');

    // The calendar's popover for the post shows the same numbers.
    await page.goto(app.url + '#/calendar');
    await page.locator('.fc-event.pp-post', { hasText: posts[0].title }).first().click({ timeout: 15000 });
    const panel = page.getByTestId('post-panel');
    await panel.waitFor();
    const popNumbers = panel.getByTestId('post-numbers');
    await popNumbers.waitFor({ timeout: 15000 });
    assert.match(await popNumbers.textContent(), /Facebook.*Mastodon/s);
    await page.mouse.move(0, 0);
    await page.waitForTimeout(400);
    await screenshot(page, 'insights-calendar-popover');

  } finally {
    await browser.close();
    await app.stop();
    fakes.stop();
  }
});
