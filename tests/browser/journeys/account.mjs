// A new user signs up (fixing a mistake the form points out), opens the verification link
// from the mail, logs in, sees their account and logs out; then logs in without JavaScript.
// Two phases, as the mail is read by the Rust test in between (tests/tests/api/browser.rs):
// EDUMARKT_PHASE=signup, then EDUMARKT_PHASE=verify with EDUMARKT_VERIFY_PATH set.
import { launch, newPage, check, expect, shows, baseUrl } from '../lib.mjs';

const email = 'bram@school.nl';
const password = 'stevige paarse fiets 42';
const browser = await launch();
try {
  if (process.env.EDUMARKT_PHASE === 'signup') {
    const page = await newPage(browser, 'account');
    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Inloggen' }).click();
    await page.waitForURL(/\/inloggen/);
    await check(page, '1-login-form');
    await page.getByRole('link', { name: /Registreer u/ }).click();
    await page.waitForURL(/\/registreren/);
    await check(page, '2-sign-up-form');

    await page.getByLabel('Naam').fill('Meester Bram');
    await page.getByLabel('E-mailadres').fill('bram-at-school.nl');
    await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Account maken' }).click();
    await page.waitForLoadState();
    await shows(page.getByRole('alert'), 'an error summary');
    expect((await page.getByLabel('Naam').inputValue()) === 'Meester Bram', 'the name is kept');
    expect((await page.getByLabel('Wachtwoord', { exact: true }).inputValue()) === '', 'the password is not');
    await check(page, '3-sign-up-error', { errors: true });

    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Account maken' }).click();
    await page.getByRole('heading', { name: 'Kijk in uw mailbox' }).waitFor();
    await check(page, '4-check-your-mail');
  } else {
    const link = process.env.EDUMARKT_VERIFY_PATH;
    if (!link) throw new Error('EDUMARKT_VERIFY_PATH is not set');
    const page = await newPage(browser, 'account');
    await page.goto(`${baseUrl}${link}`);
    await page.getByRole('heading', { name: 'E-mailadres bevestigd' }).waitFor();
    await check(page, '5-verified');

    await page.getByRole('main').getByRole('link', { name: 'Inloggen' }).click();
    await page.waitForURL(/\/inloggen/);
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(/\/account$/);
    await shows(page.getByRole('heading', { name: 'Mijn account' }), 'the account page');
    await shows(page.getByText(email), 'the address shows');
    await shows(page.getByRole('navigation').getByRole('link', { name: 'Meester Bram' }), 'the header names the user');
    await check(page, '6-account');

    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await shows(page.getByRole('navigation').getByRole('link', { name: 'Inloggen' }), 'logged out, the header offers to log in');
    await check(page, '7-logged-out');
    await page.goto(`${baseUrl}/account`);
    await page.waitForURL(/\/inloggen\?terug=%2Faccount/);
    await check(page, '8-account-needs-login');

    // Without JavaScript: log in from the redirect and come back to the account.
    const plain = await newPage(browser, 'account-no-js', { javaScriptEnabled: false });
    await plain.goto(`${baseUrl}/account`);
    await plain.getByLabel('E-mailadres').fill(email);
    await plain.getByLabel('Wachtwoord').fill(password);
    await plain.getByRole('button', { name: 'Inloggen' }).click();
    await plain.waitForURL(/\/account$/);
    await shows(plain.getByRole('heading', { name: 'Mijn account' }), 'back on the account page');
    await check(plain, '1-account-without-js');
  }
} finally {
  await browser.close();
}
