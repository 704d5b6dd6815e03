// The delivery log at /portal/{app}/logs: attempts with their status code and event type, and
// "Replay" delivering a message again.

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
} from '../lib/harness.mjs';
import { openPortal, button, logEntry, reloadUntil } from '../lib/portal.mjs';

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

test('the delivery log lists attempts and replays a message', { timeout: 180_000 }, async () => {
  const { app } = await seedTenant(herald);
  await herald.createEndpoint(app, receiver.url, { description: 'Billing system' });
  const paid = await herald.sendMessage(app, 'invoice.paid', { invoiceId: 'inv_1', amount: 4200 });
  const payment = await herald.sendMessage(app, 'payment.succeeded', { paymentId: 'pay_1' });
  await receiver.waitFor(2, 10_000);
  const firstPaid = receiver.requests.find((r) => r.headers['webhook-id'] === paid.id);
  assert.ok(firstPaid, 'invoice.paid was delivered');
  assert.ok(receiver.requests.some((r) => r.headers['webhook-id'] === payment.id), 'payment.succeeded was delivered');

  const { page } = browser;
  page.on('dialog', (dialog) => dialog.accept());
  await guard(page, 'delivery-log', herald, async () => {
    const { base } = await openPortal(page, herald, app, { shot: 'delivery-log-01-endpoints' });

    const res = await page.goto(`${herald.url}${base}/logs`);
    assert.equal(res.status(), 200);
    await waitForHydration(page, herald);
    const paidRows = logEntry(page, 'invoice.paid', 200);
    await reloadUntil(page, paidRows);
    await reloadUntil(page, logEntry(page, 'payment.succeeded', 200));
    assert.equal(await paidRows.count(), 1, 'one invoice.paid attempt so far');
    await screenshot(page, 'delivery-log-02-logs');

    // Replay the invoice.paid message: the receiver gets it again, same message id.
    await waitForHydration(page, herald);
    await paidRows.first().getByRole('button', { name: 'Replay', exact: true }).click();
    const confirm = button(page, 'Confirm replay');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await receiver.waitFor(3, 10_000);
    const replayed = receiver.requests[2];
    assert.equal(replayed.headers['webhook-id'], paid.id, 'the replay re-delivers the same message');
    assert.equal(replayed.body, firstPaid.body, 'with the same payload');
    await screenshot(page, 'delivery-log-03-replayed');

    // The log shows the new attempt.
    await reloadUntil(page, paidRows, { n: 2 });
    await screenshot(page, 'delivery-log-04-after-replay');
  });
});
