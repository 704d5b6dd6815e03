// The portal framed by a host product on another site (http://localhost:PORT while herald is on
// 127.0.0.1, allowed by HERALD_EMBED_ORIGINS): the magic link opens inside the iframe and adding
// an endpoint there works, which needs the session cookie and the CSRF protection to work
// cross-site.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHerald,
  seedTenant,
  startReceiver,
  startIframeHost,
  launchBrowser,
  screenshot,
  guard,
  waitForHydration,
} from '../lib/harness.mjs';
import { addEndpointViaPortal, endpointsHeading } from '../lib/portal.mjs';

let herald;
let receiver;
let host;
let browser;

before(async () => {
  // The host page first: herald must know its origin to let it frame the portal.
  host = await startIframeHost();
  herald = await startHerald({ env: { HERALD_EMBED_ORIGINS: host.origin } });
  receiver = await startReceiver();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.close();
  await receiver?.close();
  await herald?.stop();
});

test('the portal works inside a cross-site iframe', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald);
  const link = await herald.mintPortalLink(app);
  host.setTarget(link.url);
  assert.notEqual(new URL(host.url).hostname, new URL(herald.url).hostname, 'the host is another site');

  const { page } = browser;
  await guard(page, 'iframe', herald, async () => {
    await page.goto(host.url);
    assert.equal(await page.title(), 'Host product');
    const frame = page.frameLocator('iframe[title="Webhooks"]');
    await endpointsHeading(frame).waitFor();
    await waitForHydration(frame, herald);
    const portalFrame = () => page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(herald.url));
    assert.ok(portalFrame(), 'the iframe shows herald');
    assert.ok(!portalFrame().url().includes('token'), `the token is gone from the frame URL: ${portalFrame().url()}`);
    await screenshot(page, 'iframe-01-endpoints');

    await addEndpointViaPortal({
      root: frame,
      page,
      herald,
      app,
      endpointUrl: receiver.url,
      description: 'Billing system (framed)',
      currentUrl: () => portalFrame()?.url() ?? '',
      shotPrefix: 'iframe-02',
    });
    // Still framed: the host page is still the top document.
    assert.equal(page.url(), host.url);
  });
});
