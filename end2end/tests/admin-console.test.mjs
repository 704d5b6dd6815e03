// The operator console: an operator signs in, sees system health, finds a tenant and moves it
// to a plan, edits a plan, imports a catalogue file, and creates and revokes an API key.

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

test('an operator runs the deployment from the console', { timeout: 180_000 }, async () => {
  const { app } = await seedTenant(herald, { name: 'Globex Corporation' });
  await herald.createUser({ email: 'ops@herald.example', password: 'operator password', operator: true });

  const { page } = browser;
  await guard(page, 'console', herald, async () => {
    await page.goto(`${herald.url}/login`);
    await waitForHydration(page, herald);
    await page.getByLabel('Email', { exact: true }).fill('ops@herald.example');
    await page.getByLabel('Password', { exact: true }).fill('operator password');
    await button(page, 'Sign in').click();
    await page.waitForURL((u) => u.pathname !== '/login');

    await page.goto(`${herald.url}/admin`);
    await page.getByRole('heading', { name: 'System health' }).waitFor();
    await page.locator('#queue-depth').waitFor();
    await waitForHydration(page, herald);
    await screenshot(page, 'console-01-health');

    // Tenants: search, then move the company to the Basic plan.
    await page.getByRole('link', { name: 'Tenants', exact: true }).click();
    await page.getByLabel('Search').fill('globex');
    await button(page, 'Search').click();
    await page.waitForURL(/q=globex/);
    const row = page.getByRole('row', { name: /Globex Corporation/ });
    await row.waitFor();
    await waitForHydration(page, herald);
    await row.getByLabel('Plan of Globex Corporation').selectOption('Basic');
    await row.getByRole('button', { name: 'Save' }).click();
    await (async () => {
      for (let i = 0; i < 40; i++) {
        const u = await herald.ok('GET', `/api/v1/app/${app.id}/usage`);
        if (u.plan === 'Basic') return;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.fail('the tenant did not move to Basic');
    })();
    await screenshot(page, 'console-02-tenants');

    // Plans: change Pro's hourly limit.
    await page.getByRole('link', { name: 'Plans', exact: true }).click();
    const pro = page.getByRole('region', { name: 'Pro' });
    await pro.waitFor();
    await waitForHydration(page, herald);
    await pro.getByLabel('Deliveries per hour').fill('6000');
    await pro.getByRole('button', { name: 'Save Pro' }).click();
    await page.getByRole('status').filter({ hasText: 'Plan saved.' }).waitFor();
    assert.equal((await herald.ok('GET', '/api/v1/plan/Pro')).deliveriesPerHour, 6000);

    // Event catalogue: import a file.
    await page.getByRole('link', { name: 'Event catalogue', exact: true }).click();
    await page.getByRole('heading', { name: 'Import a catalogue file' }).waitFor();
    await waitForHydration(page, herald);
    await page.getByLabel('Catalogue JSON').fill(JSON.stringify({
      eventTypes: [{ name: 'subscription.renewed', description: 'A subscription renewed', groupName: 'subscription' }],
    }));
    await button(page, 'Import').click();
    await page.getByRole('status').filter({ hasText: '1 created' }).waitFor();
    await page.getByRole('table', { name: 'Event types' }).getByRole('cell', { name: 'subscription.renewed', exact: true }).waitFor();
    await screenshot(page, 'console-03-catalogue');

    // API keys: created and shown once, then revoked.
    await page.getByRole('link', { name: 'API keys', exact: true }).click();
    await page.getByLabel('Name').waitFor();
    await waitForHydration(page, herald);
    await page.getByLabel('Name').fill('billing backend');
    await button(page, 'Create key').click();
    const key = (await page.locator('#new-key').innerText()).trim();
    assert.ok(key.length >= 24, key);
    const use = await fetch(`${herald.url}/api/v1/app`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(use.status, 200, 'the new key works');
    await page.getByRole('button', { name: 'Revoke billing backend' }).click();
    await page.getByRole('row', { name: /billing backend/ }).getByText('Revoked').waitFor();
    await screenshot(page, 'console-04-keys');

    // The audit trail has all of it.
    await page.getByRole('link', { name: 'Audit trail', exact: true }).click();
    const trail = page.getByRole('table', { name: 'Audit trail' });
    await trail.getByText('api_key.revoked').waitFor();
    await trail.getByText('catalogue.imported').waitFor();
    await trail.getByText('plan.updated').waitFor();
    await screenshot(page, 'console-05-audit');
  });
});

test('a company admin cannot open the console', { timeout: 60_000 }, async () => {
  const { app } = await seedTenant(herald, { name: 'Initech' });
  await herald.createUser({ email: 'admin@initech.example', password: 'company password', tenant: app.id, permission: 'admin' });
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${herald.url}/login`);
  await waitForHydration(page, herald);
  await page.getByLabel('Email', { exact: true }).fill('admin@initech.example');
  await page.getByLabel('Password', { exact: true }).fill('company password');
  await button(page, 'Sign in').click();
  await endpointsHeading(page).waitFor();
  const res = await page.goto(`${herald.url}/admin`);
  assert.equal(res.status(), 403);
  assert.equal(await page.locator('#queue-depth').count(), 0);
  await ctx.close();
});
