// A network's coordinator opens the insight into the network's demand from the account page:
// the timeline and the share chart are images named by their title and description, each
// followed by a table with the same figures; a group of two schools is said to be shielded.
// Then the same page without JavaScript. Expects the seed of tests/tests/api/browser.rs
// (`insights::network_with_demand`: coord@swv.nl coordinates "SWV Eemland", three
// member schools joined a dyslexia bundle, two a team-development bundle).
import { launch, newPage, check, expect, shows, baseUrl } from '../lib.mjs';

const password = 'stevige paarse fiets 42';

async function logIn(page, email) {
  await page.goto(`${baseUrl}/inloggen`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(/\/account$/);
}

const browser = await launch();
try {
  const page = await newPage(browser, 'insight');
  await logIn(page, 'coord@swv.nl');
  await page.getByRole('link', { name: /Inzicht in de vraag/ }).click();
  await page.waitForURL(/\/netwerken\/[0-9a-f-]+\/inzicht$/);
  const insightUrl = page.url();
  await shows(page.getByRole('heading', { level: 1, name: 'Inzicht in de vraag van SWV Eemland' }), 'the network is named');
  await shows(page.getByRole('img', { name: /Aantal organisaties dat zich aanmeldde, per kwartaal/ }), 'the timeline is an image with a name');
  await shows(page.getByRole('img', { name: /naast het landelijk aandeel/ }), 'the share chart is an image with a name');
  const shares = page.getByRole('table', { name: 'De aandelen in cijfers' });
  await shows(shares.getByRole('row', { name: /leerproblemen.*60% \(3 van 5 scholen\).*71%/ }), 'three of five po schools, against 71% nationally');
  await shows(shares.getByRole('row', { name: /collectieve professionalisering.*afgeschermd/ }), 'two schools are shielded');
  await shows(page.getByRole('table', { name: 'De vraag per kwartaal in cijfers' }), 'the timeline as a table');
  await check(page, '1-insight');

  // Without JavaScript: the same page, drawn by the server.
  const plain = await newPage(browser, 'insight', { javaScriptEnabled: false });
  await logIn(plain, 'coord@swv.nl');
  await plain.goto(insightUrl);
  expect(await plain.locator('svg[role="img"]').count() === 2, 'two charts without JavaScript');
  await check(plain, '2-insight-without-js');
} finally {
  await browser.close();
}
