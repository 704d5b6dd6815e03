// Adding an endpoint in the portal with JavaScript disabled (plain HTML forms): the form, the category
// checkbox, landing on the new endpoint's page, and the endpoint in the list afterwards.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHerald,
  seedTenant,
  startReceiver,
  launchBrowser,
  screenshot,
  guard,
} from '../lib/harness.mjs';
import { openPortal, addEndpointViaPortal, endpointsHeading } from '../lib/portal.mjs';

let herald;
let receiver;
let browser;

before(async () => {
  herald = await startHerald();
  receiver = await startReceiver();
  browser = await launchBrowser({ javaScriptEnabled: false });
});

after(async () => {
  await browser?.close();
  await receiver?.close();
  await herald?.stop();
});

test('add an endpoint with JavaScript disabled', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald);
  const { page } = browser;
  await guard(page, 'add-endpoint-nojs', herald, async () => {
    const { base } = await openPortal(page, herald, app, { hydrate: false });
    assert.equal(await page.locator('[data-hydrated="true"]').count(), 0, 'no script ran');
    await screenshot(page, 'add-endpoint-nojs-01-endpoints');

    await addEndpointViaPortal({
      root: page,
      page,
      herald,
      app,
      endpointUrl: receiver.url,
      description: 'Billing system (no JS)',
      currentUrl: () => page.url(),
      shotPrefix: 'add-endpoint-nojs-02',
    });

    await page.goto(`${herald.url}${base}`);
    await endpointsHeading(page).waitFor();
    await page.getByText(receiver.url).first().waitFor();
    await screenshot(page, 'add-endpoint-nojs-03-endpoints-listed');
  });
});
