// Magic links: a minted link opens the tenant's portal once; a used, expired or forged link shows
// a 4xx "This link has expired" page and no portal.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHerald, seedTenant, launchBrowser, screenshot, guard, sleep } from '../lib/harness.mjs';
import { endpointsHeading } from '../lib/portal.mjs';

const EXPIRED = 'This link has expired';

/** The response is a 4xx page saying the link has expired, without the portal. */
async function assertExpiredPage(page, res, what) {
  assert.ok(res, `${what}: a response`);
  assert.ok(res.status() >= 400 && res.status() <= 499, `${what}: status ${res.status()} is 4xx`);
  await page.getByText(EXPIRED).first().waitFor();
  assert.equal(await endpointsHeading(page).count(), 0, `${what}: no Endpoints heading`);
  assert.doesNotMatch(new URL(page.url()).pathname, /^\/portal\/app_/, `${what}: not on a tenant's portal page`);
}

describe('portal magic link', () => {
  let herald;
  let browser;
  let tenant;

  before(async () => {
    herald = await startHerald();
    tenant = await seedTenant(herald);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await herald?.stop();
  });

  test('opens the portal once, then shows the expired page', { timeout: 90_000 }, async () => {
    const { app } = tenant;
    const link = await herald.mintPortalLink(app);
    assert.match(link.url, new RegExp(`^${herald.url.replace(/\./g, '\\.')}/portal/access\\?token=`));

    const page = browser.page;
    await guard(page, 'magic-link-first-use', herald, async () => {
      const res = await page.goto(link.url);
      assert.equal(res.status(), 200);
      const landed = new URL(page.url());
      assert.equal(landed.pathname.replace(/\/+$/, ''), `/portal/${app.id}`, 'redirected to the tenant portal');
      assert.ok(!page.url().includes('token'), `the token is gone from the URL: ${page.url()}`);
      await endpointsHeading(page).waitFor();
      await screenshot(page, 'magic-link-01-portal');

      // The session outlives the link: a reload stays in the portal.
      const again = await page.reload();
      assert.equal(again.status(), 200);
      await endpointsHeading(page).waitFor();
    });

    // The same link a second time, from a browser without the session.
    const context = await browser.newContext();
    const second = await context.newPage();
    try {
      await guard(second, 'magic-link-second-use', herald, async () => {
        const res = await second.goto(link.url);
        await assertExpiredPage(second, res, 'second use');
        await screenshot(second, 'magic-link-02-second-use');
      });
    } finally {
      await context.close();
    }
  });

  test('a forged token shows the expired page', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await guard(page, 'magic-link-forged', herald, async () => {
        const res = await page.goto(`${herald.url}/portal/access?token=forged`);
        await assertExpiredPage(page, res, 'forged token');
        await screenshot(page, 'magic-link-03-forged');
      });
    } finally {
      await context.close();
    }
  });
});

describe('portal magic link past its TTL', () => {
  let herald;
  let browser;

  before(async () => {
    herald = await startHerald({ env: { HERALD_PORTAL_LINK_TTL: '2s' } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await herald?.stop();
  });

  test('shows the expired page', { timeout: 60_000 }, async () => {
    const { app } = await seedTenant(herald);
    const link = await herald.mintPortalLink(app);
    await sleep(3000);
    const page = browser.page;
    await guard(page, 'magic-link-ttl', herald, async () => {
      const res = await page.goto(link.url);
      await assertExpiredPage(page, res, 'after the TTL');
      await screenshot(page, 'magic-link-05-after-ttl');
    });
  });
});
