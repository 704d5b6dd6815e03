// An endpoint's page in the portal: reveal and rotate the signing secret, disable and enable the
// endpoint, send a test event that reaches the receiver signed, and see it in the delivery log.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHerald,
  seedTenant,
  startReceiver,
  launchBrowser,
  screenshot,
  guard,
  eventually,
  signedWith,
  waitForHydration,
} from '../lib/harness.mjs';
import { openPortal, openEndpointFromList, shownSecret, button, logEntry, reloadUntil } from '../lib/portal.mjs';

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

/** Clicks "Reveal secret" when it is offered, until a whsec_ secret other than `not` shows. */
async function revealSecret(page, not = null) {
  return eventually(
    async () => {
      const shown = await shownSecret(page);
      if (shown && shown !== not) return shown;
      const reveal = button(page, 'Reveal secret');
      if (await reveal.isVisible()) await reveal.click();
      throw new Error(`no new whsec_ secret shown (still ${shown})`);
    },
    { timeoutMs: 10_000, intervalMs: 500 },
  );
}

test('endpoint detail: secret, disable/enable, test event', { timeout: 180_000 }, async () => {
  const { app } = await seedTenant(herald);
  const endpoint = await herald.createEndpoint(app, receiver.url, { description: 'Billing system' });
  const { context, page } = browser;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: herald.url });
  // A native confirm() for the rotation, if the portal uses one, is accepted.
  page.on('dialog', (dialog) => dialog.accept());

  await guard(page, 'endpoint-detail', herald, async () => {
    await openPortal(page, herald, app, { shot: 'endpoint-detail-01-endpoints' });
    await openEndpointFromList(page, receiver.url);
    assert.ok(page.url().includes(endpoint.id), `on the endpoint's page: ${page.url()}`);
    await waitForHydration(page, herald);
    await screenshot(page, 'endpoint-detail-02-detail');

    // Reveal: hidden first, then the endpoint's real secret.
    assert.equal(await shownSecret(page), null, 'the secret is hidden until revealed');
    await button(page, 'Reveal secret').click();
    const first = await revealSecret(page);
    assert.match(first, /^whsec_[A-Za-z0-9+/=]+$/);
    assert.equal(first, await herald.endpointSecret(app, endpoint), 'the revealed secret is the endpoint secret');
    await screenshot(page, 'endpoint-detail-03-secret-revealed');
    await page.getByRole('button', { name: 'Copy the signing secret' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).first().waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first, 'the secret is on the clipboard');
    await page.getByRole('button', { name: 'Copy the endpoint ID' }).click();
    await eventually(async () =>
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), endpoint.id, 'the id is on the clipboard'));
    await page.getByRole('link', { name: 'Hide secret', exact: true }).click();
    await eventually(async () => assert.equal(await shownSecret(page), null, '"Hide secret" hides it again'));

    // Rotate: a confirmation step (in-page button or native dialog), then a different secret.
    await button(page, 'Rotate secret').click();
    const confirm = button(page, 'Confirm rotation');
    try {
      await confirm.waitFor({ state: 'visible', timeout: 3000 });
      await screenshot(page, 'endpoint-detail-04-confirm-rotation');
      await confirm.click();
    } catch {
      // No in-page step: the native dialog (accepted above) was the confirmation.
    }
    await waitForHydration(page, herald);
    const rotated = await revealSecret(page, first);
    assert.match(rotated, /^whsec_/);
    assert.notEqual(rotated, first, 'rotation changed the secret');
    assert.equal(rotated, await herald.endpointSecret(app, endpoint), 'the page shows the new secret');
    await screenshot(page, 'endpoint-detail-05-secret-rotated');

    // Disable, then enable again.
    await button(page, 'Disable').click();
    await button(page, 'Enable').waitFor();
    await page.getByText('Disabled', { exact: true }).first().waitFor();
    await eventually(async () => assert.equal((await herald.getEndpoint(app, endpoint)).disabled, true));
    assert.equal(await button(page, 'Disable').count(), 0, 'no Disable button while disabled');
    await screenshot(page, 'endpoint-detail-06-disabled');

    await waitForHydration(page, herald);
    await button(page, 'Enable').click();
    await button(page, 'Disable').waitFor();
    await eventually(async () => assert.equal((await herald.getEndpoint(app, endpoint)).disabled, false));
    await eventually(async () => assert.equal(await page.getByText('Disabled', { exact: true }).count(), 0));
    await screenshot(page, 'endpoint-detail-07-enabled');

    // Send a test event of a chosen type: it arrives signed with the current secret.
    await waitForHydration(page, herald);
    assert.equal(receiver.requests.length, 0);
    const testCard = page.getByRole('region', { name: 'Send a test event' });
    await testCard.getByLabel('Event type', { exact: true }).selectOption('invoice.paid');
    // The payload starts as the type's example and can be edited; bad JSON is named in place.
    const payload = testCard.getByLabel('Payload', { exact: true });
    assert.equal((await payload.inputValue()).trim(), '{}', 'the example of invoice.paid');
    await payload.fill('{"id": "inv_test", "amount": }');
    await button(page, 'Send test event').click();
    const payloadError = page.locator('#test-payload-error');
    await payloadError.waitFor();
    assert.match(await payloadError.textContent(), /^The payload is not valid JSON: .*\(line 1, column \d+\)\.$/);
    assert.equal(await payload.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'test-payload', 'the payload has the focus');
    assert.equal(receiver.requests.length, 0, 'nothing sent');
    const edited = '{"id": "inv_test", "amount": 12}';
    await payload.fill(edited);
    await button(page, 'Send test event').click();
    const [delivered] = await receiver.waitFor(1, 10_000);
    assert.equal(delivered.body, edited, 'the edited payload, byte for byte');
    assert.ok(delivered.headers['webhook-signature'], 'a webhook-signature header');
    assert.match(delivered.headers['webhook-signature'], /^v1,/);
    assert.ok(signedWith(rotated, delivered), 'signed with the rotated secret');
    await screenshot(page, 'endpoint-detail-08-test-sent');

    // The endpoint's delivery log lists it, and its health counts it: one delivery, on the
    // first try.
    await reloadUntil(page, logEntry(page, 'invoice.paid', 200));
    await page.getByRole('row', { name: /invoice\.paid/ }).first().getByText('Test', { exact: true }).waitFor();
    await screenshot(page, 'endpoint-detail-09-log');
    const health = page.getByTestId('endpoint-health');
    assert.equal(await health.getByTestId('rate-day').innerText(), '100.0%');
    assert.match(await health.innerText(), /Delivered\s+1 \(1 on the first try\)/);
  });
});
