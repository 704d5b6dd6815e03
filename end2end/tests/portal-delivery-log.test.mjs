// The delivery log at /portal/{app}/logs: one row per message and endpoint in its state (a
// skipped one with its reason), the state filter, and "Send again" delivering a message again.

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

test('the delivery log lists deliveries in their state, filters them and sends one again', { timeout: 180_000 }, async () => {
  const { app } = await seedTenant(herald);
  await herald.createEndpoint(app, receiver.url, { description: 'Billing system' });
  // Takes payments only: the invoice is skipped there, and the log says so.
  const payments = await herald.createEndpoint(app, `${receiver.url}/payments`, {
    description: 'Payments',
    filterTypes: ['payment.succeeded'],
  });
  const paid = await herald.sendMessage(app, 'invoice.paid', { invoiceId: 'inv_1', amount: 4200 });
  const payment = await herald.sendMessage(app, 'payment.succeeded', { paymentId: 'pay_1' });
  await receiver.waitFor(3, 10_000);
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
    assert.equal(await paidRows.count(), 1, 'one invoice.paid delivery delivered');
    const skipped = page.locator(`tr[data-msg="${paid.id}"][data-endpoint="${payments.id}"]`);
    assert.equal(await skipped.getAttribute('data-state'), 'skipped');
    assert.match(await skipped.innerText(), /not in the endpoint's filter/);
    await screenshot(page, 'delivery-log-02-logs');

    // Only what was skipped.
    await page.getByLabel('State').selectOption('skipped');
    await button(page, 'Filter').click();
    await page.waitForURL(/state=skipped/);
    await waitForHydration(page, herald);
    assert.equal(await page.locator('tbody tr').count(), 1, 'one skipped delivery');
    assert.equal(await page.locator('tbody tr').getAttribute('data-state'), 'skipped');
    // Nothing was sent after tomorrow, on the admin's clock.
    await page.getByLabel('State').selectOption('');
    const tomorrow = await page.evaluate(() => {
      const d = new Date(Date.now() + 86_400_000);
      const p = (n) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    });
    await page.locator('#f-since').fill(tomorrow);
    await button(page, 'Filter').click();
    await page.waitForURL(/since=/);
    await page.getByText('Nothing matches these filters').waitFor();
    await page.goto(`${herald.url}${base}/logs`);
    await waitForHydration(page, herald);

    // Send the invoice.paid message again: the receiver gets it again, same message id.
    await paidRows.first().getByRole('button', { name: 'Send again', exact: true }).click();
    const confirm = button(page, 'Confirm replay');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await receiver.waitFor(4, 10_000);
    const replayed = receiver.requests[3];
    assert.equal(replayed.headers['webhook-id'], paid.id, 'the replay re-delivers the same message');
    assert.equal(replayed.body, firstPaid.body, 'with the same payload');
    await screenshot(page, 'delivery-log-03-replayed');

    // Still one row for the message and that endpoint, delivered again.
    await reloadUntil(page, page.locator(`tr[data-msg="${paid.id}"][data-state="delivered"]`));
    assert.equal(await paidRows.count(), 1, 'one row per message and endpoint, however often it went');
    await screenshot(page, 'delivery-log-04-after-replay');
  });
});
