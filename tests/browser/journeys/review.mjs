// A teacher opens an offering, shares her experience with it (first meeting the form's error
// summary), sees it on the offering's page with the figures, edits it, finds it under "my
// reviews", and reads how reviews work. Then the offering's reviews without JavaScript.
// Expects the seed of tests/tests/api/browser.rs (`pages::market`, a school with
// leider@linde.nl managing it and juf@linde.nl a teacher).
import { launch, newPage, check, expect, shows, baseUrl } from '../lib.mjs';

const password = 'stevige paarse fiets 42';
const title = 'Dyslexie-aanpak in de klas';
const pros = 'De leerlingen lazen na acht weken merkbaar vlotter.';

const browser = await launch();
try {
  const page = await newPage(browser, 'review');
  await page.goto(`${baseUrl}/inloggen`);
  await page.getByLabel('E-mailadres').fill('juf@linde.nl');
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(/\/account$/);
  await page.goto(`${baseUrl}/?q=dyslexie`);
  await page.getByRole('link', { name: title }).click();
  await page.waitForURL(/\/aanbod\//);
  const offeringUrl = page.url();
  await shows(page.getByText('Er zijn nog geen ervaringen gedeeld'), 'no reviews yet');

  await page.getByRole('link', { name: 'Deel uw ervaring met dit aanbod' }).click();
  await page.waitForURL(/\/beoordelen$/);
  await check(page, '1-review-form');
  // Sent without the required fields: every error at once, each leading to its field.
  await page.getByLabel('Wat goed werkte').fill(pros);
  await page.getByRole('button', { name: 'Ervaring plaatsen' }).click();
  await page.waitForURL(/\/beoordelen$/);
  await check(page, '2-review-errors', { errors: true });
  for (const message of ['Totaaloordeel: vul dit in', 'Sector: vul dit in', 'Band met de aanbieder: vul dit in']) {
    await shows(page.getByRole('link', { name: message }), `the summary says ${message}`);
  }
  expect((await page.getByLabel('Wat goed werkte').inputValue()) === pros, 'the typed text is kept');
  await page.getByRole('link', { name: 'Totaaloordeel: vul dit in' }).click();
  expect(
    await page.evaluate(() => document.activeElement?.id === 'veld-overall'),
    'the summary leads to the overall rating',
  );
  await page.getByLabel('Totaaloordeel').selectOption('4');
  await page.getByLabel('Duurzaam effect').selectOption('5');
  await page.getByLabel('Sector', { exact: true }).selectOption('po');
  await page.getByLabel('Schaal').selectOption('team');
  await page.getByLabel('Band met de aanbieder').fill('geen');
  await page.getByLabel('Beloning ontvangen').fill('geen');
  await page.getByRole('button', { name: 'Ervaring plaatsen' }).click();
  await page.waitForURL(/melding=geplaatst/);
  await shows(page.getByText('Uw ervaring staat op de pagina.'), 'the review is posted');
  await shows(page.getByText('4,0 van 5 (1 ervaring)').first(), 'the average counts it');
  await shows(page.getByText(pros), 'the review is on the page');
  await shows(page.getByRole('heading', { name: '4 van 5 – docent po, Utrecht' }), 'shown anonymously');
  await check(page, '3-review-on-offering');

  // The author raises the rating; the page says it was edited.
  await page.getByRole('link', { name: /^Bewerken/ }).click();
  await page.waitForURL(/\/bewerken$/);
  await check(page, '4-review-edit');
  await page.getByLabel('Totaaloordeel').selectOption('5');
  await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await page.waitForURL(/melding=opgeslagen/);
  await shows(page.getByText('5,0 van 5 (1 ervaring)').first(), 'the new rating counts');
  await shows(page.getByText(/bewerkt op/).first(), 'the edit is shown');

  await page.goto(`${baseUrl}/account/beoordelingen`);
  await shows(page.getByRole('link', { name: title, exact: true }), 'my reviews lists it');
  await check(page, '5-my-reviews');
  // Months later the follow-up mail leads here: still in use, the effect lasted.
  await page.getByRole('link', { name: /^Vertel hoe het nu gaat/ }).click();
  await page.waitForURL(/\/vervolg$/);
  await check(page, '5b-follow-up-form');
  await page.getByLabel('Nog in gebruik').selectOption('true');
  await page.getByLabel('Duurzaam effect').selectOption('4');
  await page.getByRole('button', { name: 'Antwoord opslaan' }).click();
  await page.waitForURL(/melding=vervolg/);
  await shows(page.getByText(/nog in gebruik, duurzaam effect 4 van 5/), 'the answer is kept with its date');
  await check(page, '5c-my-reviews-followed-up');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Hoe ervaringen werken' }).click();
  await page.waitForURL(/\/beoordelingen\/uitleg$/);
  await shows(page.getByRole('heading', { name: 'Hoe het gemiddelde en de volgorde tot stand komen' }), 'the method is stated');
  await check(page, '6-how-reviews-work');

  // Without JavaScript the reviews sort and filter all the same.
  const plain = await newPage(browser, 'review', { javaScriptEnabled: false });
  await plain.goto(offeringUrl);
  await plain.getByLabel('Volgorde').selectOption('newest');
  await plain.getByLabel('Alleen geverifieerde ervaringen').check();
  await plain.getByRole('button', { name: 'Toon ervaringen' }).click();
  await plain.waitForURL(/geverifieerd=ja/);
  await shows(plain.getByText('Geen ervaringen met deze filters.'), 'no verified review yet');
  await check(plain, '7-reviews-filtered-without-js');
} finally {
  await browser.close();
}
