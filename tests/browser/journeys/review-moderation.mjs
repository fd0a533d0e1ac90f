// The provider's and the moderators' side of reviews: the provider's admin opens its reviews
// from the dashboard, filters those without a reply and answers one; someone else reports that
// review (sent to log in first, and told what is missing); a moderator opens the queue, tries
// to hide the review without a reason, then hides it with one. The test around it
// (tests/tests/api/browser.rs) writes the reviews and checks that the offering's average
// changed. Expects `reviews::market` with a review by docent@linde.nl (its id in
// EDUMARKT_REVIEW_ID), melder@elders.nl and the moderator moderator@edumarkt.nl.
import { launch, newPage, check, expect, shows, baseUrl } from '../lib.mjs';

const password = 'stevige paarse fiets 42';
const reviewId = process.env.EDUMARKT_REVIEW_ID;
if (!reviewId) throw new Error('EDUMARKT_REVIEW_ID is not set');
const replyText = 'Dank voor uw ervaring! Wij plannen de vervolgsessies voortaan samen vooraf.';

async function logIn(page, email) {
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

const browser = await launch();
try {
  // The provider answers the teacher's review from its dashboard.
  const provider = await newPage(browser, 'review-moderation');
  await provider.goto(`${baseUrl}/beheer`);
  await provider.waitForURL(/\/inloggen\?terug=%2Fbeheer/);
  await logIn(provider, 'admin@aanbieder.nl');
  await provider.waitForURL(/\/beheer$/);
  await provider.getByRole('link', { name: /Beoordelingen en reacties/ }).click();
  await provider.waitForURL(/\/beoordelingen$/);
  await check(provider, '1-provider-reviews');
  await provider.getByRole('link', { name: 'Zonder reactie' }).click();
  await provider.waitForURL(/zonder_reactie=ja/);
  expect(
    (await provider.getByRole('link', { name: 'Zonder reactie' }).getAttribute('aria-current')) === 'page',
    'the filter is marked',
  );
  // Chromium names a link with a visually hidden part with a space before its colon.
  await provider.getByRole('link', { name: /Reageren\s*:.*docent vo/ }).click();
  await provider.waitForURL(/\/reactie$/);
  await check(provider, '2-reply-form');
  await provider.getByRole('button', { name: 'Reactie plaatsen' }).click();
  await provider.waitForURL(/\/reactie$/);
  await check(provider, '3-reply-empty', { errors: true });
  await provider.getByRole('link', { name: /Uw reactie: vul dit in/ }).click();
  expect(
    await provider.evaluate(() => document.activeElement?.id === 'veld-reactie'),
    'the summary leads to the reply box',
  );
  await provider.getByLabel('Uw reactie').fill(replyText);
  await provider.getByRole('button', { name: 'Reactie plaatsen' }).click();
  await provider.waitForURL(/melding=opgeslagen/);
  await shows(provider.getByRole('status'), 'the reply is confirmed');
  await shows(provider.getByText(replyText), 'the reply is shown with the review');
  await check(provider, '4-replied');

  // Someone else reports the review: logged out, they are sent to log in and back.
  const reporter = await newPage(browser, 'review-moderation');
  await reporter.goto(`${baseUrl}/beoordelingen/${reviewId}/melden`);
  await reporter.waitForURL(/\/inloggen\?terug=/);
  await logIn(reporter, 'melder@elders.nl');
  await reporter.waitForURL(/\/melden$/);
  await check(reporter, '5-report-form');
  await reporter.getByRole('button', { name: 'Melding versturen' }).click();
  await reporter.waitForURL(/\/melden$/);
  await check(reporter, '6-report-without-reason', { errors: true });
  await reporter.getByRole('radio', { name: 'De schrijver heeft het aanbod niet zelf gebruikt' }).check();
  await reporter.getByLabel('Toelichting').fill('Dit lijkt geen echte ervaring uit de klas.');
  await reporter.getByRole('button', { name: 'Melding versturen' }).click();
  await reporter.getByRole('heading', { name: 'Bedankt voor uw melding' }).waitFor();
  await check(reporter, '7-reported');

  // A moderator hides it: first without a reason, then with one.
  const moderator = await newPage(browser, 'review-moderation');
  await moderator.goto(`${baseUrl}/moderatie`);
  await moderator.waitForURL(/\/inloggen\?terug=%2Fmoderatie/);
  await logIn(moderator, 'moderator@edumarkt.nl');
  await moderator.waitForURL(/\/moderatie$/);
  await shows(moderator.getByText('Dit lijkt geen echte ervaring uit de klas.'), 'the report is queued');
  await check(moderator, '8-moderation-queue');
  await moderator.getByRole('link', { name: /Besluiten\s*:.*docent vo/ }).click();
  await moderator.waitForURL(new RegExp(`/moderatie/beoordelingen/${reviewId}$`));
  await check(moderator, '9-case');
  expect(await moderator.getByRole('radio', { name: /^Verbergen/ }).isChecked(), 'hiding is offered first');
  await moderator.getByRole('button', { name: 'Besluit vastleggen' }).click();
  await check(moderator, '10-case-without-reason', { errors: true });
  await moderator.getByRole('link', { name: /Reden van het besluit: vul dit in/ }).click();
  expect(
    await moderator.evaluate(() => document.activeElement?.id === 'veld-reden'),
    'the summary leads to the reason box',
  );
  await moderator.getByLabel('Reden van het besluit').fill('Geen ervaring uit de eigen praktijk.');
  await moderator.getByRole('button', { name: 'Besluit vastleggen' }).click();
  await moderator.waitForURL(/\/moderatie\?melding=verborgen$/);
  await shows(moderator.getByText('Er zijn geen open meldingen.'), 'the queue is empty');
  await check(moderator, '11-hidden');
} finally {
  await browser.close();
}
