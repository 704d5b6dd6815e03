// The message view: found from the delivery log by the host product's event id, it shows each
// endpoint's delivery in its one state with the reason (delivered; skipped, filtered out), and
// "Send now" sends the skipped one.

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
import { openPortal, button, reloadUntil } from '../lib/portal.mjs';

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

test('a message found by its event id shows each delivery and sends the skipped one', { timeout: 180_000 }, async () => {
  const { app } = await seedTenant(herald);
  const billing = await herald.createEndpoint(app, `${receiver.url}/billing`, { description: 'Billing' });
  const voids = await herald.createEndpoint(app, `${receiver.url}/created`, {
    description: 'New invoices only',
    filterTypes: ['invoice.created'],
  });
  const msg = await herald.sendMessage(app, 'invoice.paid', { invoiceId: 'inv_42' }, { eventId: 'evt-42' });
  await receiver.waitFor(1, 10_000);

  const { page } = browser;
  await guard(page, 'message-view', herald, async () => {
    const { base } = await openPortal(page, herald, app);
    const res = await page.goto(`${herald.url}${base}/logs`);
    assert.equal(res.status(), 200);
    await waitForHydration(page, herald);

    await page.getByLabel('Message id or event id').fill('evt-42');
    await button(page, 'Find').click();
    await page.getByRole('heading', { name: new RegExp(`Message ${msg.id}`) }).waitFor();
    await waitForHydration(page, herald);

    const delivered = page.locator(`tr[data-endpoint="${billing.id}"]`);
    const skipped = page.locator(`tr[data-endpoint="${voids.id}"]`);
    await reloadUntil(page, page.locator(`tr[data-endpoint="${billing.id}"][data-state="delivered"]`));
    assert.match(await delivered.innerText(), /Delivered/);
    assert.match(await delivered.innerText(), /1 of \d+/);
    assert.equal(await skipped.getAttribute('data-state'), 'skipped');
    assert.match(await skipped.innerText(), /not in the endpoint's filter/);
    assert.match(await page.getByTestId('payload').innerText(), /inv_42/);
    await screenshot(page, 'message-view-01');

    await waitForHydration(page, herald);
    await skipped.getByRole('button', { name: 'Send now', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Queued' }).waitFor();
    const got = await receiver.waitFor(2, 10_000);
    const sent = got.find((r) => r.path === '/webhook/created');
    assert.ok(sent, `the skipped delivery went to its endpoint: ${got.map((r) => r.path)}`);
    assert.equal(sent.headers['webhook-id'], msg.id);

    await reloadUntil(page, page.locator(`tr[data-endpoint="${voids.id}"][data-state="delivered"]`));
    await screenshot(page, 'message-view-02-sent');
  });
});
