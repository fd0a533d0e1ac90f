// A school leader logs in, searches, compares three offerings for 400 pupils and saves them as
// a shortlist of the school, with a note; a colleague of the same school then opens the
// shortlist's link in a fresh browser (sent to log in and back) and reads it. Then the
// shortlist pages without JavaScript: the colleague's overview, and the leader renaming the
// list and meeting a form error. Expects the seed of tests/tests/api/browser.rs
// (`pages::market`, a school with leider@linde.nl managing it and juf@linde.nl a teacher).
import { launch, newPage, check, expect, shows, baseUrl } from '../lib.mjs';

const titles = ['Dyslexie-aanpak in de klas', 'Remedial teaching voor rekenen', 'Training formatief handelen'];
const password = 'stevige paarse fiets 42';
const listName = 'Dyslexie en rekenen 2027';
// A control named by a visible word and a visually hidden title.
const named = (word, title) => new RegExp(`${word}\\s*:?\\s*(bij\\s*)?${title}`);

async function logIn(page, email) {
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

const browser = await launch();
try {
  // The school leader logs in from the header and compares three offerings for 400 pupils.
  const leader = await newPage(browser, 'shortlist');
  await leader.goto(`${baseUrl}/`);
  await leader.getByRole('navigation').getByRole('link', { name: 'Inloggen' }).click();
  await leader.waitForURL(/\/inloggen/);
  await logIn(leader, 'leider@linde.nl');
  await leader.waitForURL(/\/account$/);
  await leader.getByRole('navigation').getByRole('link', { name: 'Aanbod zoeken' }).click();
  for (const title of titles) {
    await leader.getByRole('checkbox', { name: named('Vergelijk', title) }).check();
  }
  await leader.getByRole('button', { name: 'Vergelijk gekozen aanbod' }).click();
  await leader.waitForURL(/\/vergelijken\?/);
  await leader.getByLabel('Aantal', { exact: true }).fill('400');
  await leader.getByLabel('Eenheid').selectOption('leerling');
  await leader.getByRole('button', { name: 'Bereken' }).click();
  await leader.waitForURL(/aantal=400/);
  await shows(leader.getByRole('table', { name: /400 leerlingen/ }), 'compared for 400 pupils');
  const saveSection = leader.getByRole('region', { name: 'Bewaar deze vergelijking als keuzelijst' });
  await shows(saveSection, 'the comparison can be saved');
  expect(
    (await saveSection.getByLabel('Keuzelijst').inputValue()).startsWith('nieuw:'),
    'a new list of the school is offered first',
  );
  await check(leader, '1-compare-with-save-form');

  // Saving without a name: the form says so and keeps the choice.
  await saveSection.getByRole('button', { name: 'Bewaren' }).click();
  await leader.waitForURL(/\/lijsten\/bewaren$/);
  await shows(leader.getByRole('alert'), 'an error summary');
  for (const title of titles) {
    await shows(leader.getByRole('link', { name: title }), `${title} is still to be saved`);
  }
  await check(leader, '2-save-without-name', { errors: true });
  await leader.getByRole('link', { name: /Naam van een nieuwe lijst: vul dit in/ }).click();
  expect(
    await leader.evaluate(() => document.activeElement?.id === 'veld-nieuwe_naam'),
    'the summary leads to the name box',
  );
  await leader.getByLabel('Naam van een nieuwe lijst').fill(listName);
  await leader.getByRole('button', { name: 'Bewaren' }).click();
  await leader.waitForURL(/\/lijsten\/[0-9a-f-]{36}$/);
  const listUrl = leader.url();
  expect((await leader.getByRole('heading', { level: 1 }).textContent()) === listName, 'the list opens');
  await shows(leader.getByText('3 aanbiedingen'), 'three offerings on it');
  await check(leader, '3-shortlist-saved');

  // A note for the colleagues.
  await leader.getByLabel(named('Notitie', titles[0])).fill('Offerte vragen voor 400 leerlingen');
  await Promise.all([
    leader.waitForResponse((r) => r.url().endsWith('/notitie')),
    leader.getByRole('button', { name: named('Notitie opslaan', titles[0]) }).click(),
  ]);
  await leader.waitForLoadState();
  await leader.getByRole('link', { name: 'Vergelijk het aanbod op deze lijst' }).click();
  await leader.waitForURL(/\/vergelijken\?/);
  expect(new URL(leader.url()).searchParams.getAll('id').length === 3, 'the list compares all three');
  await leader.goto(listUrl);
  expect(
    (await leader.getByLabel(named('Notitie', titles[0])).inputValue()) === 'Offerte vragen voor 400 leerlingen',
    'the note is saved',
  );
  await check(leader, '4-shortlist-with-note');

  // A colleague opens the link in a fresh browser: log in first, then straight to the list.
  const colleague = await newPage(browser, 'shortlist');
  await colleague.goto(listUrl);
  await colleague.waitForURL(/\/inloggen\?terug=/);
  await check(colleague, '5-colleague-login');
  await logIn(colleague, 'juf@linde.nl');
  await colleague.waitForURL(listUrl);
  expect((await colleague.getByRole('heading', { level: 1 }).textContent()) === listName, 'the colleague sees the list');
  for (const title of titles) {
    await shows(colleague.getByRole('link', { name: title }), `${title} is on it`);
  }
  await shows(colleague.getByText('Offerte vragen voor 400 leerlingen'), 'the note shows');
  expect((await colleague.getByRole('button', { name: /Notitie opslaan/ }).count()) === 0, 'a teacher reads only');
  await check(colleague, '6-colleague-reads-the-list');
  await colleague.getByRole('navigation').getByRole('link', { name: 'Mijn keuzelijsten' }).click();
  await colleague.waitForURL(/\/lijsten$/);
  await shows(colleague.getByRole('link', { name: listName }), 'the list is among hers');
  await check(colleague, '7-colleague-overview');

  // Without JavaScript: the colleague's overview and the list, and the leader renaming it.
  const plain = await newPage(browser, 'shortlist-no-js', { javaScriptEnabled: false });
  await plain.goto(`${baseUrl}/lijsten`);
  await plain.waitForURL(/\/inloggen\?terug=/);
  await logIn(plain, 'juf@linde.nl');
  await plain.waitForURL(/\/lijsten$/);
  await plain.getByRole('link', { name: listName }).click();
  await plain.waitForURL(listUrl);
  await shows(plain.getByRole('link', { name: titles[1] }), 'the list without JavaScript');
  await check(plain, '1-colleague-list');

  const plainLeader = await newPage(browser, 'shortlist-no-js', { javaScriptEnabled: false });
  await plainLeader.goto(listUrl);
  await logIn(plainLeader, 'leider@linde.nl');
  await plainLeader.waitForURL(listUrl);
  await plainLeader.getByLabel('Naam van de lijst').fill('');
  await plainLeader.getByRole('button', { name: 'Naam opslaan' }).click();
  await plainLeader.waitForLoadState();
  await shows(plainLeader.locator('#foutmeldingen'), 'the empty name is refused');
  await check(plainLeader, '2-rename-error', { errors: true });
  await plainLeader.getByLabel('Naam van de lijst').fill('Zorg en rekenen 2027');
  await plainLeader.getByRole('button', { name: 'Naam opslaan' }).click();
  await plainLeader.waitForURL(listUrl);
  expect(
    (await plainLeader.getByRole('heading', { level: 1 }).textContent()) === 'Zorg en rekenen 2027',
    'renamed without JavaScript',
  );
  await Promise.all([
    plainLeader.waitForResponse((r) => r.url().endsWith('/weghalen')),
    plainLeader.getByRole('button', { name: named('Van de lijst halen', titles[2]) }).click(),
  ]);
  await plainLeader.getByText('2 aanbiedingen').waitFor();
  expect((await plainLeader.getByRole('link', { name: titles[2] }).count()) === 0, 'removed without JavaScript');
  await check(plainLeader, '3-renamed');
} finally {
  await browser.close();
}
