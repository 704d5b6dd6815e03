// The harness works end to end: herald starts, its landing page renders in Chromium, and the
// OpenAPI document answers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHerald, launchBrowser, screenshot, guard, waitForHydration } from '../lib/harness.mjs';

let herald;
let browser;

before(async () => {
  herald = await startHerald();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await herald?.stop();
});

test('the landing page renders', { timeout: 60_000 }, async () => {
  const { page } = browser;
  await guard(page, 'smoke-home', herald, async () => {
    const res = await page.goto(`${herald.url}/`);
    assert.equal(res.status(), 200);
    assert.equal(await page.title(), 'Herald');
    await page.getByRole('heading', { level: 1, name: 'Herald', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'How it works', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Read the API reference' }).waitFor();
    // With the front-end built, the page also hydrates; without it, it is server-rendered only.
    await waitForHydration(page, herald);
    await screenshot(page, 'smoke-home');
  });
});

test('the OpenAPI document answers', async () => {
  const res = await fetch(`${herald.url}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.equal(doc.info.title, 'Herald API');
  assert.ok(doc.paths['/api/v1/auth/app-portal-access/{app_id}'], 'the portal-link operation is documented');
});

test('the API takes the bootstrap key', async () => {
  const app = await herald.createApp('Smoke', 'smoke');
  assert.match(app.id, /^app_/);
  const link = await herald.mintPortalLink(app);
  assert.ok(link.url.startsWith(`${herald.url}/portal/access?token=`), link.url);
});
