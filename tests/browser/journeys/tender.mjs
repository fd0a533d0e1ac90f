// A bundled tender from need to review, in four phases; the Rust test
// (`browser::a_coordinator_bundles_demand_that_schools_join_and_providers_win`) moves the
// clock between them, past each deadline, instead of waiting:
//   EDUMARKT_PHASE=draft  the coordinator drafts a bundle (a mistake first) and opens it; two
//                         member schools' leaders join it, one of them without JavaScript.
//   EDUMARKT_PHASE=offer  two providers make an offer on the bundle's offer form.
//   EDUMARKT_PHASE=award  the coordinator scores both offers and awards the best.
//   EDUMARKT_PHASE=review a teacher of a participating school reviews the awarded offering,
//                         and the review counts as verified.
// Expects the seed of the Rust test: coord@swv.nl coordinates "SWV Eemland" with member
// schools led by leider0@school.nl and leider1@school.nl; juf@school.nl teaches at the first;
// a@aanbieder-a.nl and b@aanbieder-b.nl run providers with a published offering each.
import { launch, newPage, check, expect, shows, baseUrl } from '../lib.mjs';

const password = 'stevige paarse fiets 42';
const title = 'Samen sterker in begrijpend lezen';
const phase = process.env.EDUMARKT_PHASE;
const bundlePath = process.env.EDUMARKT_BUNDLE_PATH;

async function logIn(page, email) {
  await page.goto(`${baseUrl}/inloggen`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(/\/account$/);
}

// "2027-01-15T17:00" for a datetime-local control, `days` from the server's now (passed in).
function inDays(days) {
  const now = new Date(process.env.EDUMARKT_NOW);
  const at = new Date(now.getTime() + days * 24 * 3600 * 1000);
  // Dutch time in winter or summer: the control takes local time; Amsterdam is UTC+1 or +2.
  const local = new Date(at.toLocaleString('en-US', { timeZone: 'Europe/Amsterdam' }));
  const pad = (n) => String(n).padStart(2, '0');
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}T${pad(local.getHours())}:00`;
}

async function draft(browser) {
  const page = await newPage(browser, 'tender');
  await logIn(page, 'coord@swv.nl');
  await page.getByRole('navigation').getByRole('link', { name: 'Bundels' }).click();
  await check(page, '1-desk');
  await page.getByRole('link', { name: /^Nieuwe bundel/ }).click();
  await check(page, '2-new-bundle');
  await page.getByLabel('Titel').fill(title);
  await page.getByLabel('Welk probleem willen de scholen oplossen?').fill('Leerlingen begrijpen teksten in de zaakvakken slecht.');
  await page.getByLabel('Wat willen ze bereiken?').fill('Leraren leren begrijpend lezen in elk vak te geven.');
  await page.getByLabel('Wat moet er aan het eind zijn?').fill('Een gedeelde aanpak in elke school.');
  await page.getByLabel('Hoe weten ze dat het gelukt is?').fill('Lezen-resultaten en lesbezoeken na een jaar.');
  await page.getByLabel('Domein').selectOption('professionalisering');
  await page.getByLabel('Soort dienst').selectOption('prof_collectief_team');
  await page.getByRole('group', { name: 'Sectoren' }).getByLabel('primair onderwijs', { exact: true }).check();
  await page.getByRole('group', { name: "Regio's" }).getByLabel('Utrecht', { exact: true }).check();
  await page.getByLabel('Eenheid van de hoeveelheid').selectOption('deelnemer');
  // A mistake first: the weights do not sum to 100.
  await page.getByLabel('prijs', { exact: true }).fill('50');
  await page.getByLabel('Aanmelden kan tot').fill(inDays(14));
  await page.getByLabel('Offertes indienen kan tot').fill(inDays(28));
  await page.getByRole('button', { name: 'Concept opslaan' }).click();
  await check(page, '3-bundle-errors', { errors: true });
  await shows(page.getByRole('link', { name: /de gewichten zijn samen precies 100/ }), 'the sum is named');
  expect((await page.getByLabel('Titel').inputValue()) === title, 'the typed title is kept');
  await page.getByLabel('prijs', { exact: true }).fill('30');
  await page.getByLabel('aansluiting bij de vraag', { exact: true }).fill('40');
  await page.getByRole('button', { name: 'Concept opslaan' }).click();
  await page.waitForURL(/\/bundels\/[0-9a-f-]+\?melding=concept$/);
  await shows(page.getByText('De bundel is opgeslagen als concept.'), 'saved as a draft');
  await check(page, '4-bundle-draft');
  await page.getByRole('button', { name: 'Openen voor aanmelding' }).click();
  await page.waitForURL(/melding=geopend$/);
  await shows(page.getByText('open voor aanmelding', { exact: true }), 'open for joining');
  await check(page, '5-bundle-open');

  // The first school's leader joins, with a typo in the budget first.
  const leader = await newPage(browser, 'tender');
  await logIn(leader, 'leider0@school.nl');
  await leader.getByRole('navigation').getByRole('link', { name: 'Bundels' }).click();
  await leader.getByRole('table', { name: 'Open voor aanmelding' }).getByRole('link', { name: title }).click();
  await check(leader, '6-bundle-to-join');
  await leader.getByLabel('Aantal deelnemers').fill('12');
  await leader.getByLabel("Uw budget in euro's, exclusief btw").fill('1.500,5,0');
  await leader.getByRole('button', { name: /^Aanmelden/ }).click();
  await check(leader, '7-join-errors', { errors: true });
  await leader.getByLabel("Uw budget in euro's, exclusief btw").fill('4.500');
  await leader.getByLabel('Uw wensen (niet verplicht)').fill('Graag op woensdagmiddag.');
  await leader.getByRole('button', { name: /^Aanmelden/ }).click();
  await leader.waitForURL(/melding=aangemeld$/);
  await shows(leader.getByText('U doet mee.'), 'joined');
  await check(leader, '8-joined');

  // The second joins without JavaScript: the forms are plain HTML.
  const plain = await newPage(browser, 'tender', { javaScriptEnabled: false });
  await logIn(plain, 'leider1@school.nl');
  await plain.goto(`${baseUrl}/bundels`);
  await plain.getByRole('table', { name: 'Open voor aanmelding' }).getByRole('link', { name: title }).click();
  await plain.getByLabel('Aantal deelnemers').fill('8');
  await plain.getByLabel("Uw budget in euro's, exclusief btw").fill('3000');
  await plain.getByRole('button', { name: /^Aanmelden/ }).click();
  await plain.waitForURL(/melding=aangemeld$/);
  await check(plain, '9-joined-without-js');

  // The coordinator sees both, and the totals.
  await page.reload();
  expect(await page.getByRole('table', { name: 'Wie doet mee' }).getByRole('row').count() === 3, 'two participants');
  await check(page, '10-owner-sees-participants');
}

// Each provider offers on the offer form, linked from the bundle's page.
async function offer(browser) {
  for (const [email, price, n] of [['a@aanbieder-a.nl', '12.000', 11], ['b@aanbieder-b.nl', '9000', 13]]) {
    const page = await newPage(browser, 'tender');
    await logIn(page, email);
    await page.goto(`${baseUrl}${bundlePath}`);
    await shows(page.getByText('open voor offertes', { exact: true }), 'open for offers');
    await page.getByRole('link', { name: 'Offerte indienen of bekijken' }).click();
    await check(page, `${n}-offer-form`);
    await page.getByLabel("Prijs in euro's voor de hele bundel").fill(price);
    await page.getByLabel('Bijbehorend aanbod (niet verplicht)').selectOption({ index: 1 });
    await page.getByLabel('Uw voorstel').fill('Drie studiedagen en coaching in de klas, per school afgestemd.');
    const answers = page.getByRole('group', { name: 'Uw antwoord per kwaliteitscriterium' }).getByRole('textbox');
    for (let i = 0; i < await answers.count(); i += 1) {
      await answers.nth(i).fill('We beginnen met de leesresultaten en laten interne coaches achter.');
    }
    await page.getByRole('button', { name: 'Offerte indienen' }).click();
    await shows(page.getByText('Uw offerte is ingediend.'), `${email} offered`);
    await check(page, `${n + 1}-offer-made`);
  }
}

// The coordinator scores both offers on the evaluation page and awards the best.
async function award(browser) {
  const page = await newPage(browser, 'tender');
  await logIn(page, 'coord@swv.nl');
  await page.goto(`${baseUrl}${bundlePath}`);
  await page.getByRole('link', { name: 'Offertes beoordelen en gunnen' }).click();
  await check(page, '15-evaluation');
  for (const [provider, fit] of [['Alfa', '9'], ['Beta', '6']]) {
    const offer = page.locator('article', { has: page.getByRole('heading', { name: new RegExp(provider) }) });
    await offer.getByLabel('aansluiting bij de vraag').fill(fit);
    await offer.getByLabel('blijvend effect').fill('7');
    await offer.getByRole('button', { name: 'Scores opslaan' }).click();
    await shows(page.getByText('De scores zijn opgeslagen.'), `${provider} scored`);
  }
  const ranking = page.getByRole('table').first();
  await shows(ranking.getByRole('row').nth(1).getByText(/Alfa/), 'Alfa ranks first');
  await check(page, '16-ranking');
  // Without a motivation the award is refused, with the choice kept.
  await page.getByRole('radio', { name: /Alfa/ }).check();
  await page.getByRole('button', { name: 'Gunnen', exact: true }).click();
  await check(page, '17-award-errors', { errors: true });
  await page.getByRole('radio', { name: /Alfa/ }).check();
  await page.getByLabel('Motivering').fill('Sluit het best aan bij de leesaanpak van de scholen.');
  await page.getByRole('button', { name: 'Gunnen', exact: true }).click();
  await shows(page.getByText('De bundel is gegund.'), 'awarded');
  await check(page, '18-awarded');
}

async function review(browser) {
  const page = await newPage(browser, 'tender');
  await logIn(page, 'juf@school.nl');
  await page.getByRole('navigation').getByRole('link', { name: 'Bundels' }).click();
  await page.getByRole('table', { name: 'Bundels waaraan u deelneemt' }).getByRole('link', { name: title }).click();
  await shows(page.getByText('gegund', { exact: true }), 'awarded');
  await check(page, '20-awarded-bundle');
  await page.getByRole('link', { name: 'Deel uw ervaring met het gegunde aanbod' }).click();
  await page.getByLabel('Totaaloordeel').selectOption('5');
  await page.getByLabel('Duurzaam effect').selectOption('4');
  await page.getByLabel('Sector', { exact: true }).selectOption('po');
  await page.getByLabel('Schaal').selectOption('team');
  await page.getByLabel('Wat goed werkte').fill('De trainer sloot aan bij onze eigen teksten.');
  await page.getByLabel('Band met de aanbieder').fill('geen');
  await page.getByLabel('Beloning ontvangen').fill('geen');
  await page.getByRole('button', { name: 'Ervaring plaatsen' }).click();
  await page.waitForURL(/\/aanbod\//);
  await shows(page.getByText('Geverifieerd').first(), 'the review is verified');
  await check(page, '21-verified-review');
}

const browser = await launch();
try {
  if (phase === 'draft') await draft(browser);
  else if (phase === 'offer') await offer(browser);
  else if (phase === 'award') await award(browser);
  else if (phase === 'review') await review(browser);
  else throw new Error(`unknown phase ${phase} (bundle ${bundlePath})`);
} finally {
  await browser.close();
}
