// Adding an endpoint in the portal with JavaScript on (the hydrated app): the form, the category
// checkbox, landing on the new endpoint's page, and the endpoint in the list afterwards.

import { test, before, after } from 'node:test';
import {
  startHerald,
  seedTenant,
  startReceiver,
  launchBrowser,
  screenshot,
  guard,
  waitForHydration,
} from '../lib/harness.mjs';
import { openPortal, addEndpointViaPortal, endpointsHeading } from '../lib/portal.mjs';

let herald;
let receiver;
let browser;

before(async () => {
  herald = await startHerald();
  receiver = await startReceiver();
  browser = await launchBrowser({ javaScriptEnabled: true });
});

after(async () => {
  await browser?.close();
  await receiver?.close();
  await herald?.stop();
});

test('add an endpoint with JavaScript enabled', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald);
  const { page } = browser;
  await guard(page, 'add-endpoint-js', herald, async () => {
    const { base } = await openPortal(page, herald, app, { hydrate: false });
    // This test is about the hydrated app: without the front-end build it would test nothing.
    await waitForHydration(page, herald, { required: true });
    await screenshot(page, 'add-endpoint-js-01-endpoints');

    await addEndpointViaPortal({
      root: page,
      page,
      herald,
      app,
      endpointUrl: receiver.url,
      description: 'Billing system (JS)',
      currentUrl: () => page.url(),
      shotPrefix: 'add-endpoint-js-02',
    });

    await page.goto(`${herald.url}${base}`);
    await endpointsHeading(page).waitFor();
    await page.getByText(receiver.url).first().waitFor();
    await screenshot(page, 'add-endpoint-js-03-endpoints-listed');
  });
});
