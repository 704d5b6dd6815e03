// "Send what it missed" on an endpoint's page: a company admin in New York picks a local time,
// sees how many deliveries that would send (failed and skipped apart), confirms, and the
// receiver gets each missed event once, and nothing it had already received.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHerald,
  seedTenant,
  startReceiver,
  launchBrowser,
  screenshot,
  guard,
  waitForHydration,
  eventually,
} from '../lib/harness.mjs';
import { openPortal, button } from '../lib/portal.mjs';

let herald;
let receiver;
let browser;

before(async () => {
  // One quick retry and no pause: a failing delivery is "failed" within the test.
  herald = await startHerald({ env: { HERALD_RETRY_SCHEDULE: '50ms', HERALD_PAUSE_AFTER: '50' } });
  receiver = await startReceiver();
  // Not UTC, so a time read in the wrong zone would count nothing.
  browser = await launchBrowser({ timezoneId: 'America/New_York' });
});

after(async () => {
  await browser?.close();
  await receiver?.close();
  await herald?.stop();
});

async function stateOf(app, msg, endpoint) {
  const r = await herald.ok('GET', `/api/v1/app/${app.id}/msg/${msg.id}/endpoint?expanded_statuses=true`);
  return r.data.find((d) => d.id === endpoint.id)?.state;
}

test('an admin counts what an endpoint missed since a local time and sends it once', { timeout: 180_000 }, async () => {
  const { app } = await seedTenant(herald);
  const et = await herald.api('POST', '/api/v1/event-type', { name: 'invoice.voided', description: 'An invoice was voided' });
  assert.ok([200, 201, 409].includes(et.status), `event type: ${et.status}`);
  const ep = await herald.createEndpoint(app, `${receiver.url}/billing`, {
    description: 'Billing',
    filterTypes: ['invoice.paid'],
  });

  const delivered = await herald.sendMessage(app, 'invoice.paid', { invoiceId: 'inv_1' });
  await eventually(async () => assert.equal(await stateOf(app, delivered, ep), 'delivered'));
  receiver.status = 500;
  const failed = [];
  for (const n of [2, 3]) {
    const m = await herald.sendMessage(app, 'invoice.paid', { invoiceId: `inv_${n}` });
    await eventually(async () => assert.equal(await stateOf(app, m, ep), 'failed'));
    failed.push(m);
  }
  const skipped = await herald.sendMessage(app, 'invoice.voided', { invoiceId: 'inv_4' });
  await eventually(async () => assert.equal(await stateOf(app, skipped, ep), 'skipped'));
  receiver.status = 200;
  // The filter now takes voided invoices: the skipped one is missed.
  await herald.ok('PATCH', `/api/v1/app/${app.id}/endpoint/${ep.id}`, {
    filterTypes: ['invoice.paid', 'invoice.voided'],
  });
  const before = receiver.requests.length;

  const { page } = browser;
  await guard(page, 'send-missed', herald, async () => {
    const { base } = await openPortal(page, herald, app);
    const res = await page.goto(`${herald.url}${base}/endpoints/${ep.id}`);
    assert.equal(res.status(), 200);
    await waitForHydration(page, herald);
    const form = page.getByRole('form', { name: 'Send what it missed' });
    await form.getByText('(your local time)').waitFor();

    // An hour ago on the admin's clock, as the picker holds it.
    const since = await page.evaluate(() => {
      const d = new Date(Date.now() - 3600_000);
      const p = (n) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    });
    await page.locator('#missed-since').fill(since);
    await button(form, 'Count what it missed').click();
    const preview = page.locator('#missed-preview');
    await preview.getByText('This will send 3 deliveries (2 failed, 1 skipped).').waitFor();
    await waitForHydration(page, herald);
    await screenshot(page, 'send-missed-01-preview');

    await button(preview, 'Send 3 deliveries').click();
    await page.getByRole('status').filter({ hasText: '3 deliveries queued' }).waitFor();
    await receiver.waitFor(before + 3, 15_000);
    await preview.getByText('Nothing to send').waitFor();
    await screenshot(page, 'send-missed-02-sent');
  });

  const sent = receiver.requests.slice(before).map((r) => r.headers['webhook-id']).sort();
  assert.deepEqual(sent, [...failed.map((m) => m.id), skipped.id].sort(), 'each missed event once');
  for (const m of [...failed, skipped, delivered]) {
    await eventually(async () => assert.equal(await stateOf(app, m, ep), 'delivered'));
  }
  assert.equal(receiver.requests.length, before + 3, 'nothing it had received went again');
});
