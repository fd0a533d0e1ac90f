// A school leader searches, ticks three offerings, compares them for 400 pupils, sees the
// costs and the highlighted differences, prints the comparison, and opens a provider's
// profile; then the same comparison without JavaScript. Expects the seed of
// tests/tests/api/browser.rs (`pages::market`).
import { launch, newPage, check, expect, shows, baseUrl } from '../lib.mjs';

const titles = ['Dyslexie-aanpak in de klas', 'Remedial teaching voor rekenen', 'Training formatief handelen'];
// A control named by a visible word and a visually hidden title: Chromium may put a space
// before the hidden part's colon.
const named = (word, title) => new RegExp(`${word}\\s*:?\\s*${title}`);

const browser = await launch();
try {
  const page = await newPage(browser, 'compare');
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Zoekwoorden').fill('');
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await check(page, '1-search');

  // Tick three offerings by their accessible names and compare them.
  for (const title of titles) {
    await page.getByRole('checkbox', { name: named('Vergelijk', title) }).check();
  }
  await page.getByRole('button', { name: 'Vergelijk gekozen aanbod' }).click();
  await page.waitForURL(/\/vergelijken\?/);
  expect(new URL(page.url()).searchParams.getAll('id').length === 3, 'three ids in the URL');
  for (const title of titles) {
    await shows(page.getByRole('columnheader', { name: new RegExp(title) }), `${title} is a column`);
  }
  await check(page, '2-compare');

  // For 400 pupils: the estimate per column, recomputed by the GET form.
  await page.getByLabel('Aantal', { exact: true }).fill('400');
  await page.getByLabel('Eenheid').selectOption('leerling');
  await page.getByRole('button', { name: 'Bereken' }).click();
  await page.waitForURL(/aantal=400/);
  expect(new URL(page.url()).searchParams.get('eenheid') === 'leerling', 'the unit is in the URL');
  await shows(page.getByRole('table', { name: /400 leerlingen/ }), 'the caption names the quantity');
  const costRow = page.getByRole('row', { name: /Geschatte kosten/ });
  expect(
    (await costRow.textContent()).includes('niet te schatten in leerlingen: de prijs is per deelnemer'),
    'a price per participant is not guessed in pupils',
  );
  // Differences: marked in words in the row's header, not by colour alone.
  const priceRow = page.getByRole('row', { name: /^Prijs verschilt/ });
  await shows(priceRow, 'the price row is marked as differing');
  expect(
    (await page.getByRole('rowheader', { name: 'Waardering', exact: true }).count()) === 1,
    'a row where all agree is not marked',
  );
  await check(page, '3-compare-400-pupils');

  // The printed comparison: no menu, no forms, the table on the page.
  await page.emulateMedia({ media: 'print' });
  expect(!(await page.locator('.em-compare-form').isVisible()), 'no form in print');
  expect(!(await page.locator('.em-nav').isVisible()), 'no menu in print');
  const fits = await page.evaluate(() => {
    const table = document.querySelector('.em-compare');
    return table.getBoundingClientRect().right <= document.documentElement.clientWidth + 1;
  });
  expect(fits, 'the table fits the page in print');
  await check(page, '4-compare-print');
  await page.emulateMedia({ media: 'screen' });

  // Take one away, then go to a provider's profile from a column.
  await page.getByRole('link', { name: named('Weghalen uit vergelijking', titles[2]) }).click();
  await page.waitForURL((url) => url.searchParams.getAll('id').length === 2);
  expect(new URL(page.url()).searchParams.get('aantal') === '400', 'the quantity stays');
  await check(page, '5-compare-two');
  await page.getByRole('link', { name: 'Leren & Co' }).first().click();
  await page.waitForURL(/\/aanbieders\//);
  expect(
    (await page.getByRole('heading', { level: 1 }).textContent()) === 'Leren & Co',
    'the provider profile opens',
  );
  await shows(page.getByRole('link', { name: titles[0] }), 'its offerings are listed');
  await check(page, '6-provider');

  // From an offering page: compare it with others.
  await page.getByRole('link', { name: titles[1] }).click();
  await page.waitForURL(/\/aanbod\//);
  await page.getByRole('link', { name: 'Vergelijk dit aanbod met ander aanbod' }).click();
  await page.waitForURL(/\/\?id=/);
  expect(
    await page.getByRole('checkbox', { name: named('Vergelijk', titles[1]) }).isChecked(),
    'the offering is already chosen',
  );
  await page.getByRole('checkbox', { name: named('Vergelijk', titles[0]) }).check();
  await page.getByRole('button', { name: 'Vergelijk gekozen aanbod' }).click();
  await page.waitForURL(/\/vergelijken\?/);
  expect(new URL(page.url()).searchParams.getAll('id').length === 2, 'two compared');
  await check(page, '7-from-offering');

  // One offering only: a Dutch error summary leading back to choosing.
  await page.goto(`${baseUrl}/vergelijken?id=${new URL(page.url()).searchParams.get('id')}`);
  await shows(page.getByRole('alert'), 'an error summary');
  await check(page, '8-too-few', { errors: true });

  // Without JavaScript the same comparison works: plain GET forms.
  const plain = await newPage(browser, 'compare-no-js', { javaScriptEnabled: false });
  await plain.goto(`${baseUrl}/`);
  for (const title of titles) {
    await plain.getByRole('checkbox', { name: named('Vergelijk', title) }).check();
  }
  await plain.getByRole('button', { name: 'Vergelijk gekozen aanbod' }).click();
  await plain.waitForURL(/\/vergelijken\?/);
  await plain.getByLabel('Aantal', { exact: true }).fill('400');
  await plain.getByRole('button', { name: 'Bereken' }).click();
  await plain.waitForURL(/aantal=400/);
  await shows(plain.getByRole('table'), 'the comparison works without JavaScript');
  await check(plain, '1-compare');
} finally {
  await browser.close();
}
