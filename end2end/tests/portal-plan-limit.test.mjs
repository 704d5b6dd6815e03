// A company at its plan's endpoint limit: "Add endpoint" is shown disabled, with the reason
// naming the plan and the limit, so an admin knows why and what to do.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHerald, seedTenant, startReceiver, launchBrowser, screenshot, guard, waitForHydration } from '../lib/harness.mjs';
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

test('at the plan limit, "Add endpoint" is disabled and says why', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald);
  await herald.ok('PUT', `/api/v1/app/${app.id}/plan`, { plan: 'Basic' });
  await herald.createEndpoint(app, `${receiver.url}/one`);

  const { page } = browser;
  await guard(page, 'plan-limit', herald, async () => {
    // One endpoint of two: adding is offered.
    await openPortal(page, herald, app);
    await page.getByRole('link', { name: 'Add endpoint', exact: true }).waitFor();

    await herald.createEndpoint(app, `${receiver.url}/two`);
    await page.reload();
    await waitForHydration(page, herald);
    const add = page.getByRole('button', { name: 'Add endpoint', exact: true });
    await add.waitFor();
    assert.equal(await add.isDisabled(), true, 'the button is disabled at the limit');
    assert.equal(await page.getByRole('link', { name: 'Add endpoint', exact: true }).count(), 0);
    const why = await page.locator('#endpoint-limit').innerText();
    assert.match(why, /Basic plan allows 2 endpoints/, `the reason names the plan and the limit: ${why}`);
    assert.equal(await page.getByRole('link', { name: 'Move to a larger plan' }).count(), 0, 'no upgrade page given: no link');
    await screenshot(page, 'plan-limit-01-endpoints');

    // The host product gives its plans page (here with the link): the way up is one click away,
    // out of the host's iframe.
    await openPortal(page, herald, app, { linkOptions: { branding: { upgradeUrl: 'https://app.host.test/billing' } } });
    const upgrade = page.getByRole('link', { name: 'Move to a larger plan' });
    await upgrade.waitFor();
    assert.equal(await upgrade.getAttribute('href'), 'https://app.host.test/billing');
    assert.equal(await upgrade.getAttribute('target'), '_top');
    await screenshot(page, 'plan-limit-02-upgrade');
  });
});
