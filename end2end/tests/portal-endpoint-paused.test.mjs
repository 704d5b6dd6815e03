// A failing endpoint in the portal: once its attempts fail in a row it is paused, and the
// Endpoints page says so (paused, failing since, next try) with how many deliveries wait; when the
// receiver recovers, the backlog goes out and the page shows it healthy again.

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
} from '../lib/harness.mjs';
import { openPortal, reloadUntil } from '../lib/portal.mjs';

let herald;
let receiver;
let browser;

before(async () => {
  // Paused after two failures; probes far enough apart that the page is read while paused.
  herald = await startHerald({
    env: {
      HERALD_RETRY_SCHEDULE: '100ms,100ms,100ms,100ms',
      HERALD_PAUSE_AFTER: '2',
      HERALD_PROBE_INTERVAL: '3s',
      HERALD_MAX_PROBE_INTERVAL: '3s',
      HERALD_ENDPOINT_CONCURRENCY: '1',
    },
  });
  receiver = await startReceiver({ status: 503 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await receiver?.close();
  await herald?.stop();
});

test('a paused endpoint shows why, until when, and what waits', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald);
  await herald.createEndpoint(app, receiver.url, { description: 'Billing system' });
  for (let i = 0; i < 5; i++) await herald.sendMessage(app, 'invoice.paid', { invoiceId: `inv_${i}` });
  await eventually(async () => assert.ok(receiver.requests.length >= 2, 'two failed attempts'), {
    timeoutMs: 15_000,
  });
  const { page } = browser;

  await guard(page, 'endpoint-paused', herald, async () => {
    await openPortal(page, herald, app);
    const paused = page.locator('[data-state="paused"]');
    await reloadUntil(page, paused);
    const row = page.locator('tr').filter({ hasText: receiver.url });
    const text = await row.innerText();
    assert.match(text, /Paused/);
    assert.match(text, /failed attempts in a row/);
    assert.match(text, /failing since/);
    assert.match(text, /next try/);
    assert.match(text, /5 deliveries wait/);
    await screenshot(page, 'endpoint-paused-01-list');

    // The receiver recovers: the next probe succeeds and the backlog goes out.
    receiver.status = 200;
    const from = receiver.requests.length;
    await eventually(
      async () => {
        const ids = new Set(receiver.requests.slice(from).map((r) => r.headers['webhook-id']));
        assert.equal(ids.size, 5, `${ids.size} of 5 messages delivered after the recovery`);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    await eventually(
      async () => {
        await page.reload();
        await page.locator('tr').filter({ hasText: receiver.url }).waitFor();
        assert.equal(await page.locator('[data-state="paused"]').count(), 0, 'still shown paused');
        assert.equal(await page.locator('.health__waiting').count(), 0, 'deliveries still wait');
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    // The page is live: the endpoint's link opens its page.
    await page.getByRole('link', { name: receiver.url }).click();
    await page.waitForURL(/\/endpoints\/ep_/);
    await screenshot(page, 'endpoint-paused-02-recovered');
  });
});
