// The portal in the company admin's language (issue 14, part 2): a portal link's `locale` opens
// every page in French or in Arabic, rendered so by the server and kept by the hydrated page;
// Arabic is laid out right to left. A page fails on any English message left on it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  REPO_DIR,
  startHerald,
  seedTenant,
  startReceiver,
  launchBrowser,
  screenshot,
  guard,
  waitForHydration,
  eventually,
} from '../lib/harness.mjs';

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

/** The plain messages (no placeables) of one language: id → text. */
function messages(tag) {
  const dir = path.join(REPO_DIR, 'app', 'locales', tag);
  const out = new Map();
  for (const file of readdirSync(dir)) {
    let id = null;
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (line.startsWith('#') || !line.trim()) continue;
      const m = line.match(/^([a-z][a-z0-9-]*)\s*=\s*(.*)$/);
      if (m) {
        id = m[1];
        out.set(id, m[2]);
      } else if (id && line.startsWith(' ')) {
        out.set(id, `${out.get(id)} ${line.trim()}`.trim());
      }
    }
  }
  for (const [id, text] of out) if (text.includes('{') || !text) out.delete(id);
  return out;
}

const english = messages('en');

/**
 * English messages shown on the page in `tag`: a text node or a label attribute that reads as an
 * English message and not as that language's own text for anything.
 */
async function englishLeftOn(page, tag) {
  const theirs = new Set(messages(tag).values());
  const shown = await page.evaluate(() => {
    const clean = (s) => s.replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ').trim();
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script, style, code, pre, [hidden]')) continue;
      const t = clean(n.textContent);
      if (t) texts.push(t);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v) texts.push(clean(v));
      }
    }
    texts.push(clean(document.title.split(' · ')[0]));
    return texts;
  });
  const englishTexts = new Set(english.values());
  return [...new Set(shown.filter((t) => englishTexts.has(t) && !theirs.has(t)))];
}

/** Headings, labels, buttons, column headings and navigation in Arabic script. */
async function controlsNotInArabic(page) {
  return page.evaluate(() => {
    const arabic = /[\u0600-\u06FF]/;
    const out = [];
    for (const el of document.querySelectorAll('h1, h2, h3, label, button, th, summary, legend, nav a')) {
      if (el.closest('[hidden]') || el.closest('code, pre')) continue;
      const t = el.textContent.replace(/[\u2068\u2069]/g, '').trim();
      // Data shown as a label (an event type's name, a category) is not ours to translate.
      if (!t || el.querySelector('code') || /^[a-z0-9_.-]+$/.test(t)) continue;
      // So are the names of programming languages (verification snippets) and of the
      // deployment's plans.
      if (['Node.js', 'Python', 'Go', 'Basic', 'Pro', 'Acme Corp'].includes(t)) continue;
      // So is a URL, an e-mail address or an id.
      if (/^(https?:\/\/\S+|[\w.+-]+@[\w.-]+|[a-z]+_[0-9A-Za-z]+)$/.test(t)) continue;
      if (!arabic.test(t)) out.push(`${el.tagName.toLowerCase()}: ${t}`);
    }
    return out;
  });
}

/** The seeded data that is English whatever the page's language: event types' descriptions. */
const DATA = ['An invoice was created', 'An invoice was paid', 'A payment went through'];

/**
 * Sentences in Latin script on an Arabic page: any paragraph, list item, cell or help text with
 * four or more Latin words and no Arabic, that is not data the test seeded.
 */
async function latinSentences(page) {
  return page.evaluate((data) => {
    const arabic = /[\u0600-\u06FF]/;
    const out = [];
    for (const el of document.querySelectorAll('main p, main li, main dd, main td, main .help')) {
      if (el.closest('[hidden], code, pre')) continue;
      let t = '';
      for (const n of el.childNodes) if (n.nodeType === Node.TEXT_NODE) t += n.textContent;
      t = t.replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ').trim();
      if (!t || arabic.test(t) || data.some((d) => t.includes(d))) continue;
      if ((t.match(/[A-Za-z]{2,}/g) || []).length >= 4) out.push(`${el.tagName.toLowerCase()}: ${t}`);
    }
    return out;
  }, DATA);
}

async function seed() {
  const { app } = await seedTenant(herald, { name: 'Acme Corp' });
  const endpoint = await herald.createEndpoint(app, `${receiver.url}/hook`, { description: 'ERP' });
  const msg = await herald.sendMessage(app, 'invoice.created', { id: 'inv_1', amount: 1200 });
  await eventually(async () => {
    assert.ok(receiver.requests.length >= 1, 'the message was delivered');
  });
  const attempt = await eventually(async () => {
    const r = await herald.ok('GET', `/api/v1/app/${app.id}/attempt/msg/${msg.id}`);
    assert.ok(r.data.length > 0, 'the attempt is recorded');
    return r.data[0];
  });
  return { app, endpoint, msg, attempt };
}

/** Checks the page open in `page` is wholly in `tag`. */
async function assertWhollyIn(page, tag, name) {
  const dir = tag === 'ar' ? 'rtl' : 'ltr';
  assert.equal(await page.evaluate(() => document.documentElement.lang), tag, name);
  assert.equal(await page.evaluate(() => document.documentElement.dir), dir, name);
  assert.deepEqual(await englishLeftOn(page, tag), [], `${name}: English left on the page`);
  if (tag === 'ar') {
    assert.deepEqual(await controlsNotInArabic(page), [], `${name}: controls not in Arabic`);
    assert.deepEqual(await latinSentences(page), [], `${name}: sentences not in Arabic`);
  }
}

function pagesOf(base, endpoint, msg, attempt) {
  return [
    ['endpoints', base],
    ['endpoint', `${base}/endpoints/${endpoint.id}`],
    ['edit', `${base}/endpoints/${endpoint.id}/edit`],
    ['new', `${base}/endpoints/new`],
    ['logs', `${base}/logs`],
    ['message', `${base}/messages/${msg.id}`],
    ['events', `${base}/events`],
    ['attempt', `${base}/logs/${attempt.id}`],
  ];
}

for (const [tag, dir, navName] of [
  ['fr', 'ltr', 'Journal des livraisons'],
  ['ar', 'rtl', 'سجل التوصيل'],
]) {
  test(`a portal link in "${tag}" opens every page in that language, server-rendered and hydrated`, { timeout: 180_000 }, async () => {
    const { app, endpoint, msg, attempt } = await seed();
    const link = await herald.mintPortalLink(app, { locale: tag });
    const { page } = browser;
    await guard(page, `locale-${tag}`, herald, async () => {
      await page.goto(link.url);
      await page.getByRole('link', { name: navName, exact: true }).waitFor();
      await waitForHydration(page, herald, { required: true });
      const base = new URL(page.url()).pathname.replace(/\/+$/, '');

      for (const [name, url] of pagesOf(base, endpoint, msg, attempt)) {
        // The server's HTML is already in the language: no English flashes before hydration.
        const html = await (await page.request.get(`${herald.url}${url}`)).text();
        assert.match(html, new RegExp(`<html[^>]*lang="${tag}"`), `${name}: the server's html lang`);
        assert.match(html, new RegExp(`<html[^>]*dir="${dir}"`), `${name}: the server's html dir`);

        // The document, then hydration: not the load event, which waits on every last subresource.
        await page.goto(`${herald.url}${url}`, { waitUntil: 'domcontentloaded' });
        await waitForHydration(page, herald, { required: true });
        await assertWhollyIn(page, tag, name);
        await screenshot(page, `locale-${tag}-${name}`);
      }

      // A click in the hydrated page keeps the language: client-side navigation draws the next
      // page with the same messages.
      await page.goto(`${herald.url}${base}`);
      await waitForHydration(page, herald, { required: true });
      await page.getByRole('link', { name: navName, exact: true }).click();
      await eventually(async () => assert.ok(page.url().endsWith('/logs')));
      await page.getByRole('heading', { level: 1, name: navName }).waitFor();
      assert.deepEqual(await englishLeftOn(page, tag), [], 'the log after a click');
    });
  });
}

test('Arabic mirrors the layout: the navigation runs from the right', { timeout: 120_000 }, async () => {
  const { app } = await seed();
  const link = await herald.mintPortalLink(app, { locale: 'ar' });
  const { page } = browser;
  await guard(page, 'locale-ar-mirrored', herald, async () => {
    await page.goto(link.url);
    await waitForHydration(page, herald, { required: true });
    const nav = page.getByRole('navigation').last();
    const links = nav.getByRole('link');
    const first = await links.nth(0).boundingBox();
    const second = await links.nth(1).boundingBox();
    assert.ok(first.x > second.x, `the first link (x=${first.x}) is right of the second (x=${second.x})`);
    // The page does not scroll sideways: a mirrored layout that overflowed would.
    const { scrollWidth, width } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    assert.ok(scrollWidth <= width + 1, `the page is ${scrollWidth}px wide in a ${width}px window`);
  });
});

test('without a link language the browser\'s is used, and English stays the default', { timeout: 120_000 }, async () => {
  const { app } = await seed();
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  try {
    await guard(page, 'locale-browser', herald, async () => {
      const link = await herald.mintPortalLink(app);
      await page.goto(link.url);
      await page.getByRole('heading', { level: 1, name: 'Points de terminaison' }).waitFor();
      await waitForHydration(page, herald, { required: true });
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    });
  } finally {
    await context.close();
  }
  // The shared browser (English) still sees English.
  const { page: en } = browser;
  await guard(en, 'locale-default', herald, async () => {
    const link = await herald.mintPortalLink(app);
    await en.goto(link.url);
    await en.getByRole('heading', { level: 1, name: 'Endpoints' }).waitFor();
    assert.equal(await en.evaluate(() => document.documentElement.lang), 'en');
  });
});

test('an admin and an operator whose browser is in Arabic get the team, the audit trail and the console in Arabic', { timeout: 180_000 }, async () => {
  const { app } = await seed();
  await herald.createUser({ email: 'rania@acme.example', password: 'the admin password', tenant: app.id, permission: 'admin' });
  await herald.createUser({ email: 'ops@acme.example', password: 'the ops password', operator: true });
  const signIn = async (page, email, password) => {
    await page.goto(`${herald.url}/login`);
    await waitForHydration(page, herald, { required: true });
    await assertWhollyIn(page, 'ar', 'sign in');
    await page.locator('#login-email').fill(email);
    await page.locator('#login-password').fill(password);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname !== '/login');
  };
  const visit = async (page, pages) => {
    for (const [name, url] of pages) {
      const res = await page.goto(`${herald.url}${url}`, { waitUntil: 'domcontentloaded' });
      assert.equal(res.status(), 200, `${name} answers 200`);
      await waitForHydration(page, herald, { required: true });
      await assertWhollyIn(page, 'ar', name);
      await screenshot(page, `locale-ar-${name}`);
    }
  };
  for (const [email, password, pages] of [
    ['rania@acme.example', 'the admin password', [
      ['team', `/portal/${app.id}/team`],
      ['audit', `/portal/${app.id}/audit`],
    ]],
    ['ops@acme.example', 'the ops password', [
      ['console-health', '/admin'],
      ['console-tenants', '/admin/tenants'],
      ['console-plans', '/admin/plans'],
      ['console-catalogue', '/admin/catalogue'],
      ['console-keys', '/admin/keys'],
      ['console-audit', '/admin/audit'],
    ]],
  ]) {
    const context = await browser.newContext({ locale: 'ar' });
    const page = await context.newPage();
    try {
      await guard(page, `locale-ar-${email}`, herald, async () => {
        await signIn(page, email, password);
        await visit(page, pages);
      });
    } finally {
      await context.close();
    }
  }
});
