// The operator console: an operator signs in, sees system health, finds a tenant and moves it
// to a plan, edits a plan, imports a catalogue file, and creates and revokes an API key. System
// health names the endpoints holding deliveries back and each company's share of the send slots.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  startHerald,
  seedTenant,
  startReceiver,
  launchBrowser,
  screenshot,
  guard,
  waitForHydration,
} from '../lib/harness.mjs';
import { endpointsHeading, button, reloadUntil } from '../lib/portal.mjs';

let herald;
let browser;
let failing;
let hanging;

/** A receiver that never answers: the sends to it stay in flight until herald stops. */
async function startHangingReceiver() {
  const requests = [];
  const server = http.createServer((req) => requests.push(req.url));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hang`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

before(async () => {
  herald = await startHerald({
    env: {
      // A failing endpoint is paused at its first failure and not probed again during the test;
      // a send to an endpoint that never answers stays in flight.
      HERALD_PAUSE_AFTER: '1',
      HERALD_PROBE_INTERVAL: '1h',
      HERALD_MAX_PROBE_INTERVAL: '1h',
      HERALD_REQUEST_TIMEOUT: '120s',
    },
  });
  failing = await startReceiver({ status: 500 });
  hanging = await startHangingReceiver();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await herald?.stop();
  await failing?.close();
  await hanging?.close();
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
    await row.getByRole('button', { name: 'Save', exact: true }).click();
    await (async () => {
      for (let i = 0; i < 40; i++) {
        const u = await herald.ok('GET', `/api/v1/app/${app.id}/usage`);
        if (u.plan === 'Basic') return;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.fail('the tenant did not move to Basic');
    })();
    await screenshot(page, 'console-02-tenants');

    // The tenant's portal branding, behind its disclosure: a bad colour is named, a good one kept.
    await row.getByText('Branding of Globex Corporation').click();
    await row.getByLabel('Product name').fill('Fiskl');
    await row.getByLabel('Accent colour').fill('teal');
    await row.getByLabel('Theme').selectOption('dark');
    await row.getByRole('button', { name: 'Save branding' }).click();
    await page.getByRole('alert').filter({ hasText: 'Accent colour' }).waitFor();
    await page.getByRole('row', { name: /Globex Corporation/ }).getByLabel('Accent colour').fill('#0a7c59');
    await page.getByRole('row', { name: /Globex Corporation/ }).getByRole('button', { name: 'Save branding' }).click();
    await page.getByText('Branding saved.').waitFor();
    const branding = await herald.ok('GET', `/api/v1/app/${app.id}/branding`);
    assert.deepEqual(branding, { displayName: 'Fiskl', logoUrl: null, accentColor: '#0a7c59', theme: 'dark', upgradeUrl: null });
    await screenshot(page, 'console-02b-tenant-branding');

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
    // Destructive: it asks first.
    await page.locator('summary', { hasText: 'Revoke billing backend' }).click();
    await page.getByRole('button', { name: 'Yes, revoke billing backend' }).click();
    await page.getByRole('row', { name: /billing backend/ }).getByText('Revoked').waitFor();
    await screenshot(page, 'console-04-keys');

    // The audit trail has all of it.
    await page.getByRole('link', { name: 'Audit trail', exact: true }).click();
    const trail = page.getByRole('table', { name: 'Audit trail' });
    await trail.getByText('ops@herald.example revoked the API key "billing backend"').waitFor();
    await trail.getByText(/^ops@herald\.example imported the event catalogue: \d+ created, \d+ updated$/).waitFor();
    await trail.getByText('ops@herald.example changed the plan Pro').waitFor();
    await trail.getByText('ops@herald.example moved the company to the Basic plan').waitFor();
    // The company each entry concerns is named; the deployment's own changes say so.
    await trail.getByRole('cell', { name: 'Globex Corporation', exact: true }).first().waitFor();
    await screenshot(page, 'console-05-audit');

    // A filter keeps one kind of change, in the URL.
    await waitForHydration(page, herald);
    await page.getByLabel('Show', { exact: true }).selectOption('API keys');
    await button(page, 'Show').click();
    await page.waitForURL(/show=keys/);
    await trail.getByText('ops@herald.example created the API key "billing backend"').waitFor();
    await trail.getByText('changed the plan Pro').waitFor({ state: 'detached' });
    const kinds = await trail.locator('tbody tr .mono').allTextContents();
    assert.ok(kinds.length >= 2 && kinds.every((k) => k.startsWith('api_key.')), kinds.join(', '));
  });
});

test('system health shows the paused endpoints and who uses the send slots', { timeout: 120_000 }, async () => {
  const { app: down } = await seedTenant(herald, { name: 'Downco' });
  await herald.createEndpoint(down, failing.url);
  for (let i = 0; i < 3; i++) await herald.sendMessage(down, 'invoice.paid', { i });
  const { app: busy } = await seedTenant(herald, { name: 'Hangco' });
  await herald.createEndpoint(busy, hanging.url);
  for (let i = 0; i < 2; i++) await herald.sendMessage(busy, 'invoice.paid', { i });
  await herald.createUser({ email: 'health@herald.example', password: 'operator password', operator: true });

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await guard(page, 'console-health', herald, async () => {
    await page.goto(`${herald.url}/login`);
    await waitForHydration(page, herald);
    await page.getByLabel('Email', { exact: true }).fill('health@herald.example');
    await page.getByLabel('Password', { exact: true }).fill('operator password');
    await button(page, 'Sign in').click();
    await page.waitForURL((u) => u.pathname !== '/login');

    await page.goto(`${herald.url}/admin`);
    const held = page.getByRole('table', { name: 'Endpoints holding deliveries back' });
    const paused = held.locator('tr[data-state="paused"]').filter({ hasText: failing.url });
    const slots = page.getByRole('table', { name: 'Send slots by company' });
    const hangco = slots.locator(`tr[data-app="${busy.id}"]`);
    // Recorded by the worker over the next moments: the pause, and both sends in flight.
    const cell = (col, text) => ({ has: page.locator(`[data-col="${col}"]`, { hasText: text }) });
    await reloadUntil(page, paused.filter(cell('waiting', /^3$/)));
    await reloadUntil(page, hangco.filter(cell('in-flight', /^2$/)));
    await waitForHydration(page, herald);

    const row = await paused.innerText();
    assert.match(row, /Downco/);
    assert.match(row, /Paused/);
    assert.match(row, /failed attempts? in a row/);
    assert.equal(await paused.locator('time').count(), 2, 'failing since, and the next probe');
    assert.match(await hangco.innerText(), /Hangco/);
    assert.equal((await hangco.locator('[data-col="share"]').innerText()).trim(), '100.0%');
    assert.match(await page.locator('#in-flight').innerText(), /^2 sends in flight on 1 instance/);
    await screenshot(page, 'console-06-health-load');
    assert.deepEqual(errors, [], 'the health page logged errors');
  });
  await ctx.close();
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
