// The event catalogue as a company reads it: each event's fields as a table (type, required,
// description), a search that follows each keystroke in the hydrated page and works from the URL
// without JavaScript, and a link to each event type.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHerald, launchBrowser, screenshot, guard, waitForHydration } from '../lib/harness.mjs';
import { openPortal } from '../lib/portal.mjs';

let herald;
let browser;

const CATALOGUE = [
  {
    name: 'invoice.created',
    description: 'A new invoice is created',
    groupName: 'Invoice',
    schemas: {
      1: {
        type: 'object',
        required: ['invoice'],
        properties: {
          invoice: {
            type: 'object',
            description: 'The invoice',
            required: ['id'],
            properties: {
              id: { type: 'string' },
              customer_id: { type: ['string', 'null'], description: 'Who it is for' },
              due_date: { type: 'string', format: 'date' },
            },
          },
        },
        examples: [{ invoice: { id: 'inv_1', customer_id: 'cus_1', due_date: '2026-07-01' } }],
      },
    },
  },
  {
    name: 'payment.received',
    description: 'Money arrived',
    groupName: 'Payment',
    schemas: { 1: { type: 'object', properties: { amount: { type: 'number', description: 'In the invoice currency' } } } },
  },
  { name: 'ping', description: 'A check that the endpoint answers', groupName: 'Other' },
];

before(async () => {
  herald = await startHerald();
  browser = await launchBrowser({ javaScriptEnabled: true });
  for (const et of CATALOGUE) await herald.createEventType(et);
});

after(async () => {
  await browser?.close();
  await herald?.stop();
});

test('the catalogue lists each event\'s fields, finds them as you type, and links to each event', { timeout: 120_000 }, async () => {
  const app = await herald.createApp('Acme Corp', 'acme-catalogue');
  const { page } = browser;
  await guard(page, 'catalogue', herald, async () => {
    const { base } = await openPortal(page, herald, app, { hydrate: false });
    await page.getByRole('link', { name: 'Event catalogue', exact: true }).click();
    await page.getByRole('heading', { name: 'Event catalogue', level: 1 }).waitFor();
    await waitForHydration(page, herald, { required: true });

    const fields = page.getByRole('table', { name: 'Fields of invoice.created' });
    await fields.waitFor();
    const rows = await fields.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
    );
    assert.deepEqual(rows, [
      ['invoice', 'object', 'Always', 'The invoice'],
      ['invoice.customer_id', 'string or null', 'Optional', 'Who it is for'],
      ['invoice.due_date', 'string (date)', 'Optional', ''],
      ['invoice.id', 'string', 'Always', ''],
    ]);
    await page.getByText('No schema is published for this event').waitFor();
    await screenshot(page, 'catalogue-01-fields');

    // Typing narrows the list at once, by a field's name.
    await page.getByLabel('Search events').fill('customer');
    await page.getByRole('status').filter({ hasText: '1 of' }).waitFor();
    assert.equal(await page.getByRole('table', { name: 'Fields of payment.received' }).count(), 0);
    assert.equal(await fields.count(), 1);
    // By a word of a field's description.
    await page.getByLabel('Search events').fill('currency');
    await page.getByRole('table', { name: 'Fields of payment.received' }).waitFor();
    assert.equal(await fields.count(), 0);
    await page.getByLabel('Search events').fill('nothing like this');
    await page.getByRole('heading', { name: 'No event type matches' }).waitFor();
    await page.getByLabel('Search events').fill('');
    await fields.waitFor();

    // Each event type links to itself.
    await page.getByRole('link', { name: 'payment.received', exact: true }).click();
    await page.waitForURL(/#event-payment\.received$/);

    // A search in the URL (a shared link, or the form without JavaScript) is applied as served.
    await page.goto(`${herald.url}${base}/events?q=ping`);
    await page.getByRole('heading', { name: 'ping', level: 3 }).waitFor();
    assert.equal(await fields.count(), 0);
    assert.equal(await page.getByLabel('Search events').inputValue(), 'ping');
    await waitForHydration(page, herald);
    await screenshot(page, 'catalogue-02-search');
  });
});
