// Adding an endpoint in the portal with JavaScript on (the hydrated app): the form, the category
// checkbox, landing on the new endpoint's page, and the endpoint in the list afterwards.

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

test('with JavaScript, a category checkbox ticks its events and shows when only some are chosen', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald);
  const { page } = browser;
  await guard(page, 'picker-js', herald, async () => {
    await openPortal(page, herald, app, { hydrate: false });
    await waitForHydration(page, herald, { required: true });
    await page.getByRole('link', { name: 'Add endpoint' }).first().click();
    await page.getByLabel('Endpoint URL', { exact: true }).fill(receiver.url);

    const allEvents = page.getByRole('checkbox', { name: /^All events/ });
    const invoice = page.getByRole('checkbox', { name: 'invoice', exact: true });
    const created = page.getByRole('checkbox', { name: /^invoice\.created/ });
    const paid = page.getByRole('checkbox', { name: /^invoice\.paid/ });
    const succeeded = page.getByRole('checkbox', { name: /^payment\.succeeded/ });
    assert.equal(await allEvents.isChecked(), true, 'a new endpoint starts on all events');

    await invoice.check();
    assert.equal(await created.isChecked(), true, 'the category ticks invoice.created');
    assert.equal(await paid.isChecked(), true, 'the category ticks invoice.paid');
    assert.equal(await succeeded.isChecked(), false, 'another category is left alone');
    assert.equal(await allEvents.isChecked(), false, 'choosing a category unticks "All events"');

    await paid.uncheck();
    assert.equal(await invoice.isChecked(), false, 'the category is no longer whole');
    assert.equal(await invoice.evaluate((el) => el.indeterminate), true, 'the category shows it is partly chosen');
    await screenshot(page, 'picker-js-01-partial-category');

    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const endpoint = await eventually(async () => {
      const list = await herald.listEndpoints(app);
      assert.equal(list.length, 1);
      return list[0];
    });
    assert.deepEqual(endpoint.eventTypes, ['invoice.created'], 'saved exactly what the boxes showed');
  });
});

test('with JavaScript, a refused URL is named next to its field and focused; the rate limit is saved', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald);
  const { page } = browser;
  await guard(page, 'field-error-js', herald, async () => {
    await openPortal(page, herald, app, { hydrate: false });
    await waitForHydration(page, herald, { required: true });
    await page.getByRole('link', { name: 'Add endpoint' }).first().click();
    const url = page.getByLabel('Endpoint URL', { exact: true });
    // The browser takes any scheme in a URL field; the server does not.
    await url.fill('ftp://example.com/hook');
    await page.getByLabel('Rate limit', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Create endpoint' }).click();

    const error = page.locator('#endpoint-url-error');
    await error.waitFor();
    assert.equal(await error.textContent(), 'Use an address that starts with https://.');
    assert.equal(await url.getAttribute('aria-invalid'), 'true');
    assert.equal(await url.getAttribute('aria-describedby'), 'endpoint-url-help endpoint-url-error');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'endpoint-url', 'the field to fix has the focus');
    assert.equal(await page.getByRole('alert').count(), 0, 'shown once, by its field');
    await screenshot(page, 'field-error-js-01-url');
    assert.equal((await herald.listEndpoints(app)).length, 0, 'nothing created');

    await url.fill(receiver.url);
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const endpoint = await eventually(async () => {
      const list = await herald.listEndpoints(app);
      assert.equal(list.length, 1);
      return list[0];
    });
    assert.equal(endpoint.throttleRate, 3, 'the rate limit is the endpoint\'s throttleRate');
    await page.waitForURL(new RegExp(`/endpoints/${endpoint.id}`));
    await page.getByRole('link', { name: /^Edit/ }).first().click();
    await page.waitForURL(/\/edit/);
    assert.equal(await page.getByLabel('Rate limit', { exact: true }).inputValue(), '3');
    assert.equal(await page.locator('#endpoint-url-error').count(), 0, 'the earlier error is gone');
  });
});

test('with JavaScript, custom headers are added and removed in place, and a credential is never shown again', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald);
  const { page } = browser;
  await guard(page, 'headers-js', herald, async () => {
    await openPortal(page, herald, app, { hydrate: false });
    await waitForHydration(page, herald, { required: true });
    await page.getByRole('link', { name: 'Add endpoint' }).first().click();
    await page.getByLabel('Endpoint URL', { exact: true }).fill(receiver.url);
    const names = page.getByLabel('Header name', { exact: true });
    const values = page.getByLabel('Value', { exact: true });
    assert.equal(await names.count(), 1, 'one empty row to start with');
    await names.nth(0).fill('Authorization');
    await values.nth(0).fill('Bearer s3cret');
    await page.getByRole('button', { name: 'Add a header' }).click();
    await names.nth(1).fill('X-Tenant');
    await values.nth(1).fill('acme');
    await screenshot(page, 'headers-js-01-form');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const endpoint = await eventually(async () => {
      const list = await herald.listEndpoints(app);
      assert.equal(list.length, 1);
      return list[0];
    });
    await page.waitForURL(new RegExp(`/endpoints/${endpoint.id}`));

    // The endpoint's page lists them, the credential's value hidden.
    const settings = page.getByRole('region', { name: 'Settings' });
    await settings.getByText('X-Tenant: acme').waitFor();
    await settings.getByText('Authorization: hidden').waitFor();
    assert.equal(await page.getByText('s3cret').count(), 0, 'the credential is not on the page');

    // Editing: the credential's field is empty, the plain one shows its value; remove the plain one.
    await page.getByRole('link', { name: /^Edit/ }).first().click();
    await page.waitForURL(/\/edit/);
    await waitForHydration(page, herald);
    assert.equal(await names.count(), 3, 'two headers and an empty row');
    assert.equal(await values.nth(0).inputValue(), '', 'the credential is not sent to the page');
    assert.equal(await values.nth(0).getAttribute('placeholder'), 'Unchanged (hidden)');
    assert.equal(await values.nth(1).inputValue(), 'acme');
    await page.getByRole('button', { name: 'Remove X-Tenant' }).click();
    assert.equal(await names.count(), 2, 'the row is gone at once');
    await screenshot(page, 'headers-js-02-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(new RegExp(`/endpoints/${endpoint.id}$`));
    const headers = await herald.ok('GET', `/api/v1/app/${app.id}/endpoint/${endpoint.id}/headers`);
    assert.deepEqual(headers, { headers: {}, sensitive: ['Authorization'] });

    // Deliveries carry the credential as first given.
    await herald.sendMessage(app, 'invoice.paid', { id: 'inv_1' });
    const req = await eventually(async () => {
      const r = receiver.requests.find((x) => x.headers.authorization);
      assert.ok(r, 'the delivery arrived');
      return r;
    });
    assert.equal(req.headers.authorization, 'Bearer s3cret');
  });
});
