// thresh's pages in a real browser: the dedup report, the timeline and the
// service's page, each loaded in headless Chromium (the machine's own, driven
// by playwright-core), checked for what a reader does with it, and
// screenshotted.
//
// node check.mjs PLAN.json
//
// PLAN.json (written by crates/cli/tests/browser.rs) names the browser, the
// folder for screenshots and, per page, its address and what it must show.
// Every check that fails is printed; the exit status is 1 if any did.
// Requests to anything but the page's own file or the local server are
// blocked and fail the page: the pages must work offline.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const failures = [];

function check(page, what, ok, detail = '') {
  const line = `${ok ? 'ok  ' : 'FAIL'} ${page}: ${what}${detail ? ` (${detail})` : ''}`;
  console.log(line);
  if (!ok) failures.push(line);
}

const browser = await chromium.launch({
  executablePath: plan.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Opens `url` in a fresh page that records console errors, page errors and
// requests that leave the page's own origin; runs `steps`; screenshots.
async function visit(name, url, steps) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  const outside = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  const own = new URL(url);
  await page.route('**/*', (route) => {
    const target = new URL(route.request().url());
    const same = own.protocol === 'file:' ? target.href === own.href : target.origin === own.origin;
    if (same) return route.continue();
    outside.push(target.href);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  try {
    await steps(page);
  } catch (error) {
    check(name, 'steps ran to the end', false, String(error).split('\n')[0]);
  }
  await page.screenshot({ path: join(plan.screenshots, `${name}.png`), fullPage: true });
  check(name, 'no console or page errors', errors.length === 0, errors.join(' | '));
  check(name, 'nothing fetched from elsewhere', outside.length === 0, outside.join(' '));
  await context.close();
}

// How many of the elements `locator` finds are shown.
async function shown(locator) {
  return locator.evaluateAll((all) => all.filter((e) => e.offsetParent !== null).length);
}

await visit('report', plan.report.url, async (page) => {
  const inserted = await page.locator('section.cluster ins').allTextContents();
  const wanted = plan.report.inserted;
  check('report', `the diff marks the changed words "${wanted}"`,
    inserted.some((text) => text.includes(wanted)), `${inserted.length} insertions`);
  const deleted = await page.locator('section.cluster del').count();
  check('report', 'the diff marks removed words', deleted > 0);
  const all = await page.locator('.item').count();
  check('report', 'clusters and paragraphs are listed', all === plan.report.items, `${all} items`);
  await page.fill('#search', plan.report.search);
  const hits = await shown(page.locator('.item'));
  check('report', `searching "${plan.report.search}" leaves its items`,
    hits >= 1 && hits < all, `${hits} of ${all} shown`);
  const said = await page.textContent('#shown');
  check('report', 'the page says how many are shown', said.startsWith(`${hits} of ${all}`), said);
  await page.fill('#search', 'no such words anywhere in this report');
  check('report', 'a search without hits hides every item', (await shown(page.locator('.item'))) === 0);
  await page.fill('#search', '');
  check('report', 'clearing the search shows every item', (await shown(page.locator('.item'))) === all);
});

await visit('timeline', plan.timeline.url, async (page) => {
  const versions = page.locator('details.versions').first();
  await versions.locator('summary').click();
  const diffs = versions.locator('.diff');
  check('timeline', 'an opened post shows a diff between its versions', (await shown(diffs)) > 0);
  const changed = await versions.locator('.diff ins, .diff del').count();
  check('timeline', 'the diff marks the changed words', changed > 0, `${changed} marks`);
  const jump = page.locator('details.jump');
  await jump.locator('summary').click();
  const links = jump.locator('a');
  const count = await links.count();
  check('timeline', 'the jump list lists the posts', count >= plan.timeline.posts, `${count} links`);
  const last = links.nth(count - 1);
  const target = (await last.getAttribute('href')).slice(1);
  await last.click();
  const hash = await page.evaluate(() => decodeURIComponent(location.hash.slice(1)));
  check('timeline', 'a jump lands on its post', hash === target, `${hash} vs ${target}`);
  const landed = await page.evaluate((id) => {
    const box = document.getElementById(id).getBoundingClientRect();
    return box.top >= -1 && box.top < window.innerHeight;
  }, target);
  check('timeline', 'the post jumped to is in view', landed);
});

await visit('serve', plan.serve.url, async (page) => {
  await page.fill('#text', plan.serve.seen_text);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => !document.getElementById('verdict').textContent.startsWith('Checking'));
  const verdict = await page.textContent('#verdict');
  check('serve', 'an indexed article is seen before', verdict.startsWith('Seen before'), verdict);
  const matched = await page.locator('#matches tbody td').first().textContent();
  check('serve', 'its match is listed', matched === plan.serve.seen_id, matched);
  await page.fill('#text', plan.serve.new_text);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.getElementById('verdict').textContent.startsWith('New'));
  check('serve', 'an unseen article is new', await page.locator('#matches').isHidden());
});

await browser.close();
if (failures.length > 0) {
  console.log(`${failures.length} browser checks failed`);
  process.exit(1);
}
console.log(`every browser check passed; screenshots in ${plan.screenshots}`);
