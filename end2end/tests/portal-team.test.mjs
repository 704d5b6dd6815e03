// A company admin invites a colleague from the Team page; the colleague opens the single-use
// link in their own browser, chooses a password and lands in the company's portal; the admin
// sees them in the team and every step in the audit trail.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHerald, seedTenant, launchBrowser, screenshot, guard, waitForHydration } from '../lib/harness.mjs';
import { endpointsHeading, button } from '../lib/portal.mjs';

let herald;
let browser;

before(async () => {
  herald = await startHerald();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await herald?.stop();
});

async function signIn(page, email, password) {
  await page.goto(`${herald.url}/login`);
  await waitForHydration(page, herald);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await button(page, 'Sign in').click();
  await endpointsHeading(page).waitFor();
}

test('an admin invites a colleague, who joins with the link once', { timeout: 180_000 }, async () => {
  const { app } = await seedTenant(herald);
  await herald.createUser({ email: 'boss@acme.example', password: 'the boss password', tenant: app.id, permission: 'admin' });

  const { page } = browser;
  let link;
  await guard(page, 'team-admin', herald, async () => {
    await signIn(page, 'boss@acme.example', 'the boss password');
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    await page.getByRole('heading', { name: 'Team', exact: true }).waitFor();
    await waitForHydration(page, herald);
    await page.getByLabel('Email', { exact: true }).fill('grace@acme.example');
    await page.getByLabel('Permission', { exact: true }).selectOption('integration.write');
    await button(page, 'Create invite link').click();
    link = (await page.locator('#invite-link').innerText()).trim();
    assert.match(link, /\/invite\/[A-Za-z0-9_-]+$/, link);
    await screenshot(page, 'team-01-invite-link');
  });

  const other = await browser.newContext();
  const guest = await other.newPage();
  await guard(guest, 'team-guest', herald, async () => {
    await guest.goto(link);
    await guest.getByRole('heading', { name: /Join Acme/ }).waitFor();
    await waitForHydration(guest, herald);
    await guest.getByLabel('Choose a password').fill('grace hopper 1906');
    await screenshot(guest, 'team-02-accept');
    await button(guest, 'Join').click();
    await endpointsHeading(guest).waitFor();
    assert.match(new URL(guest.url()).pathname, new RegExp(`^/portal/${app.id}`));
    // Not an admin: no Team page in the navigation.
    assert.equal(await guest.getByRole('link', { name: 'Team', exact: true }).count(), 0);

    // The link works once.
    await guest.goto(link);
    await guest.getByRole('heading', { name: 'This invite cannot be used' }).waitFor();
  });
  await other.close();

  await guard(page, 'team-audit', herald, async () => {
    await page.reload();
    await page.getByRole('cell', { name: 'grace@acme.example', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Audit trail', exact: true }).click();
    await page.getByRole('heading', { name: 'Audit trail', exact: true }).waitFor();
    const table = page.getByRole('table', { name: 'Audit trail' });
    await table.getByText('grace@acme.example joined the company as', { exact: false }).waitFor();
    await table.getByText(/invited grace@acme\.example as /).waitFor();
    await screenshot(page, 'team-03-audit');

    // The filter, in the hydrated page: only the company's own settings.
    await waitForHydration(page, herald);
    await page.getByLabel('Show', { exact: true }).selectOption('Company');
    await button(page, 'Show').click();
    await page.waitForURL(/show=company/);
    await table.getByText(/invited grace/).waitFor({ state: 'detached' });
    const kinds = await table.locator('tbody tr .mono').allTextContents();
    assert.ok(kinds.length >= 1 && kinds.every((k) => k.startsWith('application.')), kinds.join(', '));
  });
});
