// A deployment on the invoice-maker preset, as a company admin sees it: the host product's
// catalogue in the picker (5 categories), the new endpoint's 64-hex secret shown once with a
// warning, never again after a reload, and code to verify deliveries under that scheme.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHerald, startReceiver, launchBrowser, screenshot, guard, waitForHydration } from '../lib/harness.mjs';
import { openPortal } from '../lib/portal.mjs';

let herald;
let receiver;
let browser;

before(async () => {
  herald = await startHerald({ env: { HERALD_PRESET: 'invoice-maker' } });
  receiver = await startReceiver();
  browser = await launchBrowser({ javaScriptEnabled: true });
});

after(async () => {
  await browser?.close();
  await receiver?.close();
  await herald?.stop();
});

test('the invoice-maker preset shows its secret once and how to verify it', { timeout: 120_000 }, async () => {
  const app = await herald.createApp('Invoice Maker customer', 'im-customer');
  const { page } = browser;
  await guard(page, 'preset', herald, async () => {
    await openPortal(page, herald, app, { hydrate: false });
    await waitForHydration(page, herald, { required: true });
    await page.getByRole('link', { name: 'Add endpoint' }).first().click();
    await page.getByLabel('Endpoint URL', { exact: true }).fill(`${receiver.url}/im`);
    for (const category of ['Invoice', 'Quotation', 'Customer', 'Expense', 'Recurring Invoice']) {
      await page.getByRole('checkbox', { name: category, exact: true }).waitFor();
    }
    await page.getByRole('checkbox', { name: 'Recurring Invoice', exact: true }).check();
    await screenshot(page, 'preset-01-catalogue');
    await page.getByRole('button', { name: 'Create endpoint' }).click();

    const secret = page.locator('code[aria-label="Signing secret"]');
    await secret.waitFor();
    const text = (await secret.innerText()).trim();
    assert.match(text, /^[0-9a-f]{64}$/, text);
    await page.getByText('Copy it now: it will not be shown again.').waitFor();
    await screenshot(page, 'preset-02-secret-once');

    await page.getByText('How to verify a delivery').click();
    const node = page.locator('pre[data-language="Node.js"]');
    await node.waitFor();
    assert.match(await node.innerText(), /Buffer\.from\(secret, "hex"\)/);
    assert.match(await page.locator('pre[data-language="Python"]').innerText(), /bytes\.fromhex\(secret\)/);
    await screenshot(page, 'preset-03-verify');

    // Reloading the page (with ?reveal=1 still in the address) does not show it again.
    await page.reload();
    await page.getByRole('heading', { name: 'Signing secret' }).waitFor();
    await page.getByText('This secret was shown once').waitFor();
    assert.equal(await page.locator('code[aria-label="Signing secret"]').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Reveal secret' }).count(), 0);
    await screenshot(page, 'preset-04-not-again');
  });
});
