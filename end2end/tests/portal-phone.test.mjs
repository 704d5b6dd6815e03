// The portal on a phone (390 × 844, touch): every page fits the screen's width, so nothing is
// hidden off to the side. Wide content (the delivery log's table, payloads) may scroll inside its
// own box, but the page itself must not scroll sideways.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHerald,
  seedTenant,
  startReceiver,
  launchBrowser,
  screenshot,
  guard,
  eventually,
} from '../lib/harness.mjs';
import { openPortal, reloadUntil, logEntry } from '../lib/portal.mjs';

let herald;
let receiver;
let browser;

before(async () => {
  herald = await startHerald();
  receiver = await startReceiver();
  browser = await launchBrowser({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
});

after(async () => {
  await browser?.close();
  await receiver?.close();
  await herald?.stop();
});

async function assertFitsWidth(page, what) {
  // Against the screen's width, not window.innerWidth: on a mobile viewport Chromium zooms out
  // to show content that overflows, and innerWidth grows with it.
  const screenWidth = page.viewportSize().width;
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= screenWidth + 1, `${what}: the page is ${scrollWidth}px wide on a ${screenWidth}px screen`);
}

// Tables are drawn as rows of labelled cells on a phone: every cell shows its column's heading.
// Returns how many tables were checked.
async function assertRowsLabelled(page, what) {
  const { tables, problems } = await page.evaluate(() => {
    const problems = [];
    const tables = [...document.querySelectorAll('table.table--rows')];
    for (const t of tables) {
      if (getComputedStyle(t).display !== 'block') problems.push(`${t.ariaLabel}: not drawn as rows`);
      const heads = [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim());
      for (const tr of t.querySelectorAll('tbody tr')) {
        [...tr.children].forEach((td, i) => {
          const label = getComputedStyle(td, '::before').content;
          if (label !== JSON.stringify(heads[i])) problems.push(`cell ${i + 1}: ${label} instead of "${heads[i]}"`);
        });
      }
    }
    return { tables: tables.length, problems };
  });
  assert.deepEqual(problems, [], `${what}: every cell is labelled with its heading`);
  return tables;
}

// Opens each [what, path, screenshot] in turn and checks it as a phone shows it.
async function checkPages(page, pages) {
  for (const [what, path, shot] of pages) {
    const res = await page.goto(`${herald.url}${path}`);
    assert.equal(res.status(), 200, `${what} answers 200`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await screenshot(page, shot);
    await assertFitsWidth(page, what);
    await assertRowsLabelled(page, what);
  }
}

test('every portal page fits a phone screen', { timeout: 180_000 }, async () => {
  const { app } = await seedTenant(herald);
  const endpoint = await herald.createEndpoint(app, `${receiver.url}/a-rather-long-path/for-a-phone-screen`, {
    description: 'Billing system',
  });
  const msg = await herald.sendMessage(app, 'invoice.paid', { invoiceId: 'inv_1', amount: 4200 });
  await receiver.waitFor(1, 10_000);
  const attempt = await eventually(async () => {
    const r = await herald.ok('GET', `/api/v1/app/${app.id}/attempt/msg/${msg.id}`);
    assert.ok(r.data.length > 0, 'the attempt is recorded');
    return r.data[0];
  });

  const { page } = browser;
  await guard(page, 'phone', herald, async () => {
    const { base } = await openPortal(page, herald, app);
    await screenshot(page, 'phone-01-endpoints');
    await assertFitsWidth(page, 'Endpoints');
    assert.equal(await assertRowsLabelled(page, 'Endpoints'), 1);

    const pages = [
      ['endpoint detail', `${base}/endpoints/${endpoint.id}`, 'phone-02-endpoint'],
      ['add endpoint', `${base}/endpoints/new`, 'phone-03-add-endpoint'],
      ['event catalogue', `${base}/events`, 'phone-05-events'],
      ['edit endpoint', `${base}/endpoints/${endpoint.id}/edit`, 'phone-06-edit-endpoint'],
      ['message', `${base}/messages/${msg.id}`, 'phone-07-message'],
      ['attempt', `${base}/logs/${attempt.id}`, 'phone-08-attempt'],
    ];
    await checkPages(page, pages);

    await page.goto(`${herald.url}${base}/logs`);
    await reloadUntil(page, logEntry(page, 'invoice.paid', 200));
    await screenshot(page, 'phone-04-logs');
    await assertFitsWidth(page, 'delivery log');
    assert.equal(await assertRowsLabelled(page, 'delivery log'), 1);
  });
});

test('the team, the audit trail and the console fit a phone screen', { timeout: 180_000 }, async () => {
  const { app } = await seedTenant(herald, { name: 'Phone Co' });
  await herald.createUser({ email: 'boss@phone.example', password: 'the boss password', tenant: app.id, permission: 'admin' });
  await herald.createUser({ email: 'ops@phone.example', password: 'the ops password', operator: true });
  await herald.createEndpoint(app, `${receiver.url}/team-phone`);

  const visit = async (page, email, password, pages) => {
    await page.goto(`${herald.url}/login`);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((u) => u.pathname !== '/login');
    await checkPages(page, pages);
  };

  const { page } = browser;
  await guard(page, 'phone-admin', herald, async () => {
    await visit(page, 'boss@phone.example', 'the boss password', [
      ['team', `/portal/${app.id}/team`, 'phone-09-team'],
      ['audit trail', `/portal/${app.id}/audit`, 'phone-10-audit'],
    ]);
  });
  const context = await browser.newContext();
  const ops = await context.newPage();
  await guard(ops, 'phone-console', herald, async () => {
    await visit(ops, 'ops@phone.example', 'the ops password', [
      ['console health', '/admin', 'phone-11-console-health'],
      ['console tenants', '/admin/tenants', 'phone-12-console-tenants'],
      ['console plans', '/admin/plans', 'phone-13-console-plans'],
      ['console catalogue', '/admin/catalogue', 'phone-14-console-catalogue'],
      ['console keys', '/admin/keys', 'phone-15-console-keys'],
      ['console audit', '/admin/audit', 'phone-16-console-audit'],
    ]);
  });
  await context.close();
});
