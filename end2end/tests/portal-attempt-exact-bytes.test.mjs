// The attempt page shows the body exactly as the receiver got it (key order, 10.50, spacing and
// the preset's envelope kept), the headers with the signature, and "Copy" puts those very bytes
// on the clipboard: what a customer pastes into their verifier matches.

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
import { openPortal } from '../lib/portal.mjs';

let herald;
let receiver;
let browser;

before(async () => {
  // Fiskl's preset wraps the payload in an envelope: the body sent is not the payload.
  herald = await startHerald({ env: { HERALD_PRESET: 'fiskl' } });
  receiver = await startReceiver();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await receiver?.close();
  await herald?.stop();
});

const PAYLOAD = '{"zeta": 1, "amount": 10.50, "alpha": "é"}';

test('the attempt page shows and copies the exact bytes the receiver got', { timeout: 180_000 }, async () => {
  const { app } = await seedTenant(herald);
  await herald.createEndpoint(app, `${receiver.url}/fiskl`, { description: 'Billing' });
  const res = await fetch(`${herald.url}/api/v1/app/${app.id}/msg`, {
    method: 'POST',
    headers: { authorization: `Bearer ${herald.apiKey}`, 'content-type': 'application/json' },
    body: `{"eventType": "invoice.paid", "payload": ${PAYLOAD}}`,
  });
  assert.equal(res.status, 202);
  const msg = await res.json();
  const [got] = await receiver.waitFor(1, 10_000);
  assert.ok(got.body.includes(PAYLOAD), `the envelope holds the payload's own bytes: ${got.body}`);

  // Recorded once the receiver's answer is in.
  const attempt = await eventually(async () => {
    const { data } = await herald.ok('GET', `/api/v1/app/${app.id}/attempt/msg/${msg.id}`);
    assert.equal(data.length, 1);
    return data[0].id;
  });

  const { context, page } = browser;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: herald.url });
  await guard(page, 'attempt-exact-bytes', herald, async () => {
    const { base } = await openPortal(page, herald, app);
    const r = await page.goto(`${herald.url}${base}/logs/${attempt}`);
    assert.equal(r.status(), 200);
    await waitForHydration(page, herald);

    const body = await page.locator('#request-body').textContent();
    assert.equal(body, got.body, 'the page shows the bytes sent, not a re-formatted copy');
    const headers = await page.locator('#request-headers').textContent();
    assert.ok(headers.includes(`webhook-signature: ${got.headers['webhook-signature']}`), headers);
    assert.ok(headers.includes(`user-agent: ${got.headers['user-agent']}`), headers);
    assert.match(await page.getByText(`Exactly the ${Buffer.byteLength(got.body)} bytes sent.`).innerText(), /bytes sent/);

    await page.getByRole('button', { name: 'Copy the request body' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).first().waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, got.body, 'the clipboard holds the exact body');

    await page.getByText('How to check this signature').click();
    await page.getByText(/HMAC-SHA256 of id\.timestamp\.body/).waitFor();
    await screenshot(page, 'attempt-exact-bytes-01');
  });
});
