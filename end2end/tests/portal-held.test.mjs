// A company over its plan's hourly limit: the endpoints page shows the plan's use and how many
// deliveries are held, and the delivery log lists them as "Held by plan limit" (not failed).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHerald, seedTenant, startReceiver, launchBrowser, screenshot, guard, eventually } from '../lib/harness.mjs';
import { openPortal } from '../lib/portal.mjs';

let herald;
let receiver;
let browser;

before(async () => {
  herald = await startHerald();
  receiver = await startReceiver();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await receiver?.close();
  await herald?.stop();
});

test('deliveries over the hourly limit are shown as held', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald);
  await herald.ok('PUT', '/api/v1/plan/Trial', {
    maxEndpoints: 2, deliveriesPerHour: 1, retrySchedule: ['5m'], timeoutSeconds: 5, retentionDays: 7, autoDisableAfter: 50,
  });
  await herald.ok('PUT', `/api/v1/app/${app.id}/plan`, { plan: 'Trial' });
  await herald.createEndpoint(app, `${receiver.url}/hook`);
  for (let n = 0; n < 3; n++) await herald.sendMessage(app, 'invoice.paid', { n });
  await eventually(async () => {
    const u = await herald.ok('GET', `/api/v1/app/${app.id}/usage`);
    assert.equal(u.held, 2, JSON.stringify(u));
  });

  const { page } = browser;
  await guard(page, 'held', herald, async () => {
    await openPortal(page, herald, app);
    const usage = page.getByRole('region', { name: 'Plan usage' });
    await usage.waitFor();
    const text = await usage.innerText();
    assert.match(text, /Trial plan/, text);
    assert.match(text, /1 of 1 deliveries this hour/, text);
    assert.match(text, /2 held by the plan limit/, text);
    await screenshot(page, 'held-01-usage');

    await usage.getByRole('link', { name: /held by the plan limit/ }).click();
    const held = page.getByRole('region', { name: 'Held by plan limit' });
    await held.waitFor();
    assert.equal(await held.locator('tbody tr').count(), 2, 'both held deliveries are listed');
    assert.equal(await held.locator('.badge').filter({ hasText: 'Held by plan limit' }).count(), 2);
    await screenshot(page, 'held-02-log');
  });
});
