// A read-only portal link: the tenant sees endpoints and deliveries but is offered no control that
// changes anything. (That the server refuses such changes is for the Rust tests.)

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
import { openPortal, openEndpointFromList, addEndpointControl, button, logEntry, reloadUntil } from '../lib/portal.mjs';

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

// The spec's list, then the other controls that change things or show the secret.
const CONTROLS = [
  'Rotate secret',
  'Disable',
  'Enable',
  'Send test event',
  'Replay',
  'Send again',
  'Send now',
  'Edit',
  'Delete',
  'Recover failed messages',
  'Count what it missed',
  'Reveal secret',
];

async function assertNoControls(root, where) {
  for (const name of CONTROLS) {
    assert.equal(await button(root, name).count(), 0, `${where}: no "${name}" button`);
    assert.equal(await root.getByRole('link', { name, exact: true }).count(), 0, `${where}: no "${name}" link`);
  }
}

test('a read-only link offers no controls', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald);
  await herald.createEndpoint(app, receiver.url, { description: 'Billing system' });
  await herald.sendMessage(app, 'invoice.paid', { invoiceId: 'inv_1' });
  await receiver.waitFor(1, 10_000);

  const { page } = browser;
  await guard(page, 'read-only', herald, async () => {
    const { base } = await openPortal(page, herald, app, {
      linkOptions: { readOnly: true },
      shot: 'read-only-01-endpoints',
    });
    // The list is there, without "Add endpoint".
    await page.getByText(receiver.url).first().waitFor();
    assert.equal(await addEndpointControl(page).count(), 0, 'no "Add endpoint"');

    await openEndpointFromList(page, receiver.url);
    await waitForHydration(page, herald);
    await screenshot(page, 'read-only-02-detail');
    await assertNoControls(page, 'endpoint page');

    // The delivery log shows the attempt but offers no replay.
    await page.goto(`${herald.url}${base}/logs`);
    await waitForHydration(page, herald);
    await reloadUntil(page, logEntry(page, 'invoice.paid', 200));
    await screenshot(page, 'read-only-03-logs');
    await assertNoControls(page, 'delivery log');
  });
});
