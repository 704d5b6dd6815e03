// Password login at /login for a user made with `herald user create`: a wrong password is refused
// with an alert, the right one opens the tenant's portal.

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

test('sign in with email and password', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald);
  const email = 'admin@acme.example';
  const password = 'correct horse battery staple';
  await herald.createUser({ email, password, tenant: app.id, permission: 'integration.write' });

  const { page } = browser;
  await guard(page, 'login', herald, async () => {
    const res = await page.goto(`${herald.url}/login`);
    assert.equal(res.status(), 200);
    await waitForHydration(page, herald);
    await screenshot(page, 'login-01-form');

    // Wrong password: an alert, and still on /login.
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await button(page, 'Sign in').click();
    // An alert with some text (an empty live region does not count).
    await page.getByRole('alert').filter({ hasText: /\S/ }).first().waitFor();
    assert.equal(new URL(page.url()).pathname, '/login', 'still on /login');
    assert.equal(await endpointsHeading(page).count(), 0);
    await screenshot(page, 'login-02-wrong-password');

    // The right password: the tenant's portal.
    await waitForHydration(page, herald);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await button(page, 'Sign in').click();
    await endpointsHeading(page).waitFor();
    assert.notEqual(new URL(page.url()).pathname, '/login', 'left /login');
    await screenshot(page, 'login-03-signed-in');
  });
});
