// Steps through the portal shared by several test files. Every locator is by accessible name.

import assert from 'node:assert/strict';
import { eventually, isJsEnabled, screenshot, waitForHydration } from './harness.mjs';

/** The "Endpoints" heading (exact name). Works on a Page or a FrameLocator. */
export function endpointsHeading(root) {
  return root.getByRole('heading', { name: 'Endpoints', exact: true });
}

/** "Add endpoint", whether the portal renders it as a link or a button. */
export function addEndpointControl(root) {
  return root
    .getByRole('link', { name: 'Add endpoint', exact: true })
    .or(root.getByRole('button', { name: 'Add endpoint', exact: true }));
}

/** A button by exact accessible name. */
export function button(root, name) {
  return root.getByRole('button', { name, exact: true });
}

/**
 * Mints a portal link for `app`, opens it in `page` and waits for the Endpoints page.
 * Returns { link, base } where base is the portal's path for this app (e.g. /portal/app_...).
 */
export async function openPortal(page, herald, app, { linkOptions = {}, shot, hydrate = true } = {}) {
  const link = await herald.mintPortalLink(app, linkOptions);
  await page.goto(link.url);
  await endpointsHeading(page).waitFor();
  if (hydrate && isJsEnabled(page)) await waitForHydration(page, herald);
  if (shot) await screenshot(page, shot);
  const base = new URL(page.url()).pathname.replace(/\/+$/, '');
  return { link, base };
}

/**
 * On the Endpoints page: Add endpoint → fill the form → tick the "invoice" category →
 * Create endpoint. `root` is the Page, or a FrameLocator when the portal is framed; `currentUrl`
 * returns the portal document's URL (page.url() or the frame's). Returns the endpoint as the API
 * sees it, after checking it was stored as asked.
 */
export async function addEndpointViaPortal({ root, page, herald, app, endpointUrl, description, currentUrl, shotPrefix }) {
  await addEndpointControl(root).first().click();
  const urlField = root.getByLabel('Endpoint URL', { exact: true });
  await urlField.waitFor();
  await screenshot(page, `${shotPrefix}-new-endpoint-form`);

  await urlField.fill(endpointUrl);
  await root.getByLabel('Description', { exact: true }).fill(description);
  // An "All events" choice, where the form offers one ticked, would win over a category: untick it.
  const allEvents = root.getByRole('checkbox', { name: /^All events/ });
  if ((await allEvents.count()) > 0 && (await allEvents.first().isChecked())) await allEvents.first().uncheck();
  const invoice = root.getByRole('checkbox', { name: 'invoice', exact: true });
  await invoice.check();
  assert.equal(await invoice.isChecked(), true, 'the "invoice" category is ticked');
  // The other category stays unticked.
  const payment = root.getByRole('checkbox', { name: 'payment', exact: true });
  if ((await payment.count()) > 0) assert.equal(await payment.isChecked(), false);
  await screenshot(page, `${shotPrefix}-new-endpoint-filled`);

  await button(root, 'Create endpoint').click();

  // Stored as asked: one endpoint, the URL, the description, and the invoice category's types.
  const endpoint = await eventually(async () => {
    const list = await herald.listEndpoints(app);
    assert.equal(list.length, 1, `one endpoint stored, got ${JSON.stringify(list)}`);
    return list[0];
  });
  assert.equal(endpoint.url, endpointUrl);
  assert.equal(endpoint.description, description);
  assert.deepEqual(
    [...(endpoint.eventTypes ?? [])].sort(),
    ['invoice.created', 'invoice.paid'],
    'ticking the "invoice" category subscribes to its event types (and not to payment.*)',
  );

  // Landed on the new endpoint's detail page, which shows its URL.
  await eventually(() => assert.match(currentUrl(), new RegExp(`/${endpoint.id}(?:[/?#]|$)`)), { timeoutMs: 15_000 });
  await root.getByText(endpointUrl).first().waitFor();
  await screenshot(page, `${shotPrefix}-endpoint-detail`);
  return endpoint;
}

/** From the Endpoints list, opens the detail page of the endpoint whose URL is shown. */
export async function openEndpointFromList(page, endpointUrl) {
  await page.getByRole('link').filter({ hasText: endpointUrl }).first().click();
  await page.waitForURL((u) => /\/ep_[A-Za-z0-9]+/.test(u.pathname) || u.pathname.includes('endpoint'));
  await page.getByText(endpointUrl).first().waitFor();
}

/** The whsec_ secret shown in the page (text or an input's value), or null. */
export async function shownSecret(root) {
  return root.locator('body').evaluate((body) => {
    const texts = [body.innerText, ...[...body.querySelectorAll('input, textarea')].map((i) => i.value)];
    for (const t of texts) {
      const m = /whsec_[A-Za-z0-9+/=_-]+/.exec(t || '');
      if (m) return m[0];
    }
    return null;
  });
}

/**
 * A row of a delivery log (table row, list item or article) mentioning `text` and showing the
 * status code `status` in an element of its own text (a row's whole text runs its cells together,
 * "200" + "17 ms" reading "20017 ms", so the code is looked for per element).
 */
export function logEntry(root, text, status = 200) {
  return root
    .locator('tr, [role="row"], li, article')
    .filter({ hasText: text })
    .filter({ has: root.getByText(new RegExp(`(^|\\D)${status}(\\D|$)`)) });
}

/** Reloads `page` until `locator` has at least `n` matches (the log may not update live). */
export async function reloadUntil(page, locator, { n = 1, timeoutMs = 15_000 } = {}) {
  await eventually(
    async () => {
      const count = await locator.count();
      if (count < n) {
        await page.reload();
        throw new Error(`expected at least ${n} match(es) of ${locator}, found ${count}`);
      }
    },
    { timeoutMs, intervalMs: 1000 },
  );
}
