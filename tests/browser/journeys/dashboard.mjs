// A provider (the demo's Leerkracht Academie) logs in from the dashboard's link, creates an
// offering, is told what is wrong, fixes it, publishes it and finds it in search; changes the
// provider's profile, again with a mistake fixed on the way; then the dashboard, the edit form
// and the history work without JavaScript. Expects the demo data
// (tests/tests/api/browser.rs loads it).
import { launch, newPage, check, expect, shows, baseUrl } from '../lib.mjs';

const email = 'aanbieder@edumarkt.demo';
const password = 'demo-wachtwoord-2026';
const title = 'Rekenen met verhalen in groep 5';

async function logIn(page) {
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

const browser = await launch();
try {
  const page = await newPage(browser, 'dashboard');
  await page.goto(`${baseUrl}/beheer`);
  await page.waitForURL(/\/inloggen\?terug=%2Fbeheer/);
  await check(page, '1-login-first');
  await logIn(page);
  await page.waitForURL(/\/beheer$/);
  await shows(page.getByRole('heading', { name: 'Leerkracht Academie (demo)' }), 'the provider');
  await shows(page.getByRole('link', { name: 'Lesson study rekenen (in voorbereiding)', exact: true }), 'the draft is listed');
  expect(
    (await page.getByRole('navigation').getByRole('link', { name: 'Beheer' }).getAttribute('aria-current')) === 'page',
    'the menu marks the dashboard',
  );
  await check(page, '2-dashboard');

  await page.getByRole('link', { name: /Nieuw aanbod toevoegen/ }).first().click();
  await page.waitForURL(/nieuw-aanbod$/);
  await check(page, '3-new-offering');
  await page.getByLabel('Titel', { exact: true }).fill(title);
  await page.getByLabel('Korte samenvatting').fill('Rekenlessen die beginnen bij een verhaal uit de klas.');
  await page.getByLabel('Beschrijving').fill('Leraren leren rekenproblemen in verhalen te verpakken.\n\nDrie bijeenkomsten met opdrachten in de eigen groep.');
  await page.getByLabel('Domein', { exact: true }).selectOption('professionalisering');
  await page.getByLabel('Soort dienst').selectOption('prof_collectief_team');
  await page.getByRole('group', { name: 'Sectoren' }).getByLabel('primair onderwijs', { exact: true }).check();
  await page.getByRole('group', { name: "Regio's" }).getByLabel('landelijk').check();
  await page.getByRole('group', { name: 'Vorm', exact: true }).getByLabel('training').check();
  await page.getByRole('group', { name: 'Uitvoering' }).getByLabel('op locatie').check();
  await page.getByLabel('Duur').selectOption('kort');
  await page.getByLabel('Prijsmodel').selectOption('per_deelnemer');
  await page.getByLabel('Prijs vanaf (euro)').fill('driehonderd');
  await page.getByRole('button', { name: 'Opslaan als concept' }).click();
  await page.waitForLoadState();
  await shows(page.getByRole('alert').getByText(/Prijs vanaf \(euro\): vul een bedrag in/), 'the summary names the price');
  expect((await page.getByLabel('Titel', { exact: true }).inputValue()) === title, 'the title is kept');
  expect(await page.getByRole('group', { name: 'Sectoren' }).getByLabel('primair onderwijs', { exact: true }).isChecked(), 'the boxes are kept');
  await check(page, '4-form-error', { errors: true });

  // The summary's link leads to the box, where the message is too.
  await page.getByRole('alert').getByRole('link', { name: /Prijs vanaf/ }).click();
  await page.getByLabel('Prijs vanaf (euro)').fill('350');
  await page.getByRole('button', { name: 'Opslaan als concept' }).click();
  await page.waitForURL(/\/beheer\/aanbod\/[0-9a-f-]+\?melding=aangemaakt$/);
  await shows(page.getByText('Het aanbod is opgeslagen als concept'), 'saved as a draft');
  await check(page, '5-saved-as-draft');
  const editUrl = page.url().split('?')[0];

  await page.getByRole('button', { name: 'Publiceren' }).click();
  await page.waitForURL(/melding=gepubliceerd$/);
  await shows(page.getByText('Het aanbod is gepubliceerd'), 'published');
  await check(page, '6-published');

  // The search finds it once the index has it (the worker syncs within a moment).
  await page.goto(`${baseUrl}/`);
  const hit = page.getByRole('link', { name: title, exact: true });
  for (let attempt = 0; attempt < 40 && !(await hit.isVisible()); attempt++) {
    await page.waitForTimeout(250);
    await page.goto(`${baseUrl}/?q=${encodeURIComponent('rekenen verhalen')}`);
  }
  await shows(hit, 'the search finds the new offering');
  await check(page, '7-found-in-search');
  await hit.click();
  await page.getByRole('heading', { name: title }).waitFor();
  await check(page, '8-offering-page');

  // The profile, from the dashboard: a website that is no web address is named in the
  // summary, what was typed stays, and the fixed profile is saved and shown on the dashboard.
  await page.goto(`${baseUrl}/beheer`);
  await page.getByRole('link', { name: /Profiel wijzigen/ }).first().click();
  await page.waitForURL(/\/profiel$/);
  expect((await page.getByLabel('Website', { exact: true }).inputValue()) === 'https://leerkracht-academie.example', 'the stored website');
  await check(page, '9-profile-form');
  await page.getByLabel('Website', { exact: true }).fill('leerkracht-academie');
  await page.getByLabel('Telefoonnummer').fill('030 765 4321');
  await page.getByRole('group', { name: "Regio's" }).getByLabel('Utrecht', { exact: true }).check();
  await page.getByRole('button', { name: 'Profiel opslaan' }).click();
  await page.waitForLoadState();
  await shows(page.getByRole('alert').getByText(/Website: vul een volledig webadres in/), 'the summary names the website');
  expect((await page.getByLabel('Telefoonnummer').inputValue()) === '030 765 4321', 'the phone is kept');
  expect(await page.getByRole('group', { name: "Regio's" }).getByLabel('Utrecht', { exact: true }).isChecked(), 'the region is kept');
  await check(page, '10-profile-error', { errors: true });
  await page.getByRole('alert').getByRole('link', { name: /Website/ }).click();
  await page.getByLabel('Website', { exact: true }).fill('https://www.leerkracht-academie.example');
  await page.getByRole('button', { name: 'Profiel opslaan' }).click();
  await page.waitForURL(/\/profiel\?melding=opgeslagen$/);
  await shows(page.getByText('Het profiel is opgeslagen.'), 'the profile is saved');
  await check(page, '11-profile-saved');
  await page.getByRole('link', { name: 'Terug naar het beheer' }).click();
  await page.waitForURL(/\/beheer$/);
  await shows(page.getByText('030 765 4321'), 'the dashboard shows the new phone number');
  await check(page, '12-dashboard-with-profile');

  // Without JavaScript: log in, the dashboard, an edit saved, the history.
  const plain = await newPage(browser, 'dashboard-no-js', { javaScriptEnabled: false });
  await plain.goto(editUrl);
  await logIn(plain);
  await plain.waitForURL(editUrl);
  await check(plain, '1-edit-form-without-js');
  await plain.getByLabel('Korte samenvatting').fill('Rekenlessen die beginnen bij een verhaal, ook zonder JavaScript.');
  await plain.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await plain.waitForURL(/melding=opgeslagen$/);
  await shows(plain.getByText('De wijzigingen zijn opgeslagen'), 'saved without JavaScript');
  await check(plain, '2-saved-without-js');
  await plain.getByRole('link', { name: 'Geschiedenis' }).click();
  await plain.getByRole('heading', { name: 'Geschiedenis van het aanbod' }).waitFor();
  await shows(plain.getByText('Gewijzigd: Korte samenvatting'), 'the edit is in the history');
  await check(plain, '3-history-without-js');
  await plain.goto(`${baseUrl}/beheer`);
  await shows(plain.getByRole('link', { name: title, exact: true }), 'the dashboard lists it');
  await check(plain, '4-dashboard-without-js');
} finally {
  await browser.close();
}
