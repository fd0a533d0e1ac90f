// A school leader searches with a typo, narrows by a facet and opens an offering; then the
// same search without JavaScript. Expects the seed of tests/tests/api/browser.rs.
import { launch, newPage, check, expect, shows, baseUrl } from '../lib.mjs';

const browser = await launch();
try {
  const page = await newPage(browser, 'search');
  await page.goto(`${baseUrl}/`);
  expect((await page.getAttribute('html', 'lang')) === 'nl', 'the page is in Dutch');
  await check(page, '1-home');

  // The skip link is the first thing the keyboard reaches and leads to the content.
  await page.keyboard.press('Tab');
  expect(
    (await page.evaluate(() => document.activeElement?.textContent)) === 'Naar de inhoud',
    'the skip link comes first',
  );

  await page.getByLabel('Zoekwoorden').fill('dyslxie');
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await page.waitForURL(/q=dyslxie/);
  const hit = page.getByRole('link', { name: 'Dyslexie-aanpak in de klas' });
  await shows(hit, 'the typo finds the dyslexia offering');
  await check(page, '2-typo');

  // Narrow by sector: open the facet, tick a box, apply.
  await page.locator('summary', { hasText: 'Sector' }).click();
  await page.getByLabel(/primair onderwijs/).check();
  await page.getByRole('button', { name: 'Filters toepassen' }).click();
  await page.waitForURL(/sector=po/);
  expect(new URL(page.url()).searchParams.get('q') === 'dyslxie', 'the words stay in the URL');
  expect(await page.getByLabel(/primair onderwijs/).isChecked(), 'the box stays ticked');
  await shows(page.getByText('1 resultaat'), 'one offering is left');
  await check(page, '3-filtered');

  await page.getByRole('link', { name: 'Dyslexie-aanpak in de klas' }).click();
  await page.waitForURL(/\/aanbod\//);
  expect(
    (await page.getByRole('heading', { level: 1 }).textContent()) === 'Dyslexie-aanpak in de klas',
    'the offering page opens',
  );
  await shows(page.getByText('€ 450 – € 600 per deelnemer'), 'the price shows');
  await check(page, '4-offering');

  // The cost for the visitor's own number of participants.
  await page.getByLabel('Aantal deelnemers').fill('25');
  await page.getByRole('button', { name: 'Bereken' }).click();
  await page.waitForURL(/aantal=25/);
  await shows(page.getByText('25 deelnemers: € 11.250 – € 15.000 (exclusief btw)'), 'the estimate shows');
  await check(page, '4b-offering-cost');

  // A search that finds nothing helps out.
  await page.goto(`${baseUrl}/?q=formatief&sector=po`);
  await shows(page.getByText('Geen resultaten'), 'no results are said');
  await page.getByRole('link', { name: 'Zoek zonder filters' }).click();
  await page.waitForURL((url) => !url.search.includes('sector'));
  await shows(page.getByRole('link', { name: 'Training formatief handelen' }), 'without filters the training is found');
  await check(page, '5-no-results-help');

  // Invalid parameters: a Dutch error summary, whose link leads to the field.
  await page.goto(`${baseUrl}/?q=${'a'.repeat(201)}`);
  await shows(page.getByRole('alert'), 'an error summary');
  await page.getByRole('alert').getByRole('link').first().click();
  expect(
    (await page.evaluate(() => document.activeElement?.id)) === 'veld-q',
    'the summary link focuses the query box',
  );
  await check(page, '6-error-summary', { errors: true });

  // Without JavaScript the same search works: the form is a plain GET.
  const plain = await newPage(browser, 'search-no-js', { javaScriptEnabled: false });
  await plain.goto(`${baseUrl}/`);
  await plain.getByLabel('Zoekwoorden').fill('rekenen');
  await plain.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await plain.waitForURL(/q=rekenen/);
  await shows(plain.getByRole('link', { name: 'Remedial teaching voor rekenen' }), 'the search works without JavaScript');
  await check(plain, '1-search');
} finally {
  await browser.close();
}
