// What every journey shares: the system's Chromium (never a downloaded browser), axe-core on
// every page visited, screenshots as artefacts, and failing on any Content-Security-Policy
// violation (the pages must need no inline script or style).
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const baseUrl = process.env.EDUMARKT_BASE_URL;
if (!baseUrl) throw new Error('EDUMARKT_BASE_URL is not set');
const artefacts = process.env.EDUMARKT_ARTIFACTS ?? new URL('./artifacts', import.meta.url).pathname;

export async function launch() {
  return chromium.launch({
    executablePath: process.env.EDUMARKT_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

// A page that fails the journey on a CSP violation or an uncaught page error.
export async function newPage(browser, journey, options = {}) {
  const context = await browser.newContext({ locale: 'nl-NL', ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) {
      page.problems.push(`CSP violation: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.journey = journey;
  // axe needs script; the pages are checked without it only for working.
  page.scripted = options.javaScriptEnabled !== false;
  return page;
}

// Checks the page: an error summary only where one is expected; axe-core (injected through
// the DevTools protocol, so the page's CSP still holds for everything else) must find no
// serious or critical violation; a screenshot is saved under the journey's name.
export async function check(page, name, { errors = false } = {}) {
  // A click waits only until the next page starts loading; look once it has loaded.
  await page.waitForLoadState('load');
  const summary = await page.locator('#foutmeldingen').count();
  if (summary !== (errors ? 1 : 0)) {
    throw new Error(`${name}: ${errors ? 'no' : 'an unexpected'} error summary on ${page.url()}`);
  }
  const dir = join(artefacts, page.journey);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  if (page.problems.length) {
    throw new Error(`${name}: ${page.problems.join('; ')}`);
  }
  if (!page.scripted) {
    console.log(`ok: ${name} without JavaScript (${page.url()})`);
    return;
  }
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  const report = (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`;
  const blocking = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  for (const v of results.violations.filter((v) => !blocking.includes(v))) {
    console.log(`axe (${name}, not blocking): ${report(v)}`);
  }
  if (blocking.length) {
    throw new Error(`axe found serious or critical violations on ${name}:\n${blocking.map(report).join('\n')}`);
  }
  console.log(`ok: ${name} (${page.url()})`);
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

// Waits for the locator to be visible, up to ten seconds, failing with the message. A check
// right after a click must wait: the click only starts the navigation, and on a slow machine
// the old page is still there when `isVisible()` looks.
export async function shows(locator, message) {
  try {
    await locator.waitFor({ state: 'visible', timeout: 10_000 });
  } catch (error) {
    throw new Error(`not shown: ${message} (${error.message.split('\n')[0]})`);
  }
}
