// The same provider edits one offering in two tabs: the first tab's save goes through, the
// second tab (loaded before it) is refused, says what changed, and keeps the text typed there;
// saving again then applies it. Expects the demo data (tests/tests/api/browser.rs loads it).
import { launch, newPage, check, expect, shows, baseUrl } from '../lib.mjs';

const browser = await launch();
try {
  const first = await newPage(browser, 'dashboard-tabs');
  await first.goto(`${baseUrl}/inloggen?terug=%2Fbeheer`);
  await first.getByLabel('E-mailadres').fill('aanbieder@edumarkt.demo');
  await first.getByLabel('Wachtwoord').fill('demo-wachtwoord-2026');
  await first.getByRole('button', { name: 'Inloggen' }).click();
  await first.waitForURL(/\/beheer$/);
  await first.getByRole('link', { name: 'Lesson study rekenen (in voorbereiding)', exact: true }).click();
  await first.waitForURL(/\/beheer\/aanbod\/[0-9a-f-]+$/);
  const editUrl = first.url();

  // A second tab of the same browser (one context: the same session).
  const second = await first.context().newPage();
  second.problems = [];
  second.journey = 'dashboard-tabs';
  second.scripted = true;
  second.on('pageerror', (error) => second.problems.push(`page error: ${error.message}`));
  await second.goto(editUrl);
  await check(second, '1-second-tab-open');

  await first.getByLabel('Titel', { exact: true }).fill('Lesson study rekenen (tab één)');
  await first.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await first.waitForURL(/melding=opgeslagen$/);
  await check(first, '2-first-tab-saved');

  const typed = 'Tekst uit het tweede tabblad die niet verloren mag gaan.';
  await second.getByLabel('Beschrijving').fill(typed);
  await second.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await second.waitForLoadState();
  await shows(second.getByRole('alert').getByText(/Iemand anders heeft dit aanbod gewijzigd/), 'the save is refused');
  expect((await second.getByLabel('Beschrijving').inputValue()) === typed, 'the typed text is kept');
  const changed = second.getByRole('region', { name: 'Intussen gewijzigd' });
  await shows(changed.getByText('Lesson study rekenen (tab één)'), 'what changed is shown');
  // The first tab saved the regions' boxes in the form's order: the same regions, no change.
  expect((await changed.getByText("Regio's").count()) === 0, 'only what really changed is shown');
  await check(second, '3-second-tab-refused', { errors: true });

  // Saving again, knowing the other change, applies the second tab's text.
  await second.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await second.waitForURL(/melding=opgeslagen$/);
  expect((await second.getByLabel('Beschrijving').inputValue()) === typed, 'the text is saved');
  await check(second, '4-second-tab-saved');
} finally {
  await browser.close();
}
