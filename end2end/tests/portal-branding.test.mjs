// The portal in the host product's look (issue 14, part 1): framed by the host, it shows the
// host's name and logo, its accent and a dark theme, with no Herald chrome, page titles that
// follow navigation in the hydrated page, and a theme of `auto` that follows the system.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHerald,
  seedTenant,
  startIframeHost,
  launchBrowser,
  screenshot,
  guard,
  waitForHydration,
  eventually,
} from '../lib/harness.mjs';
import { endpointsHeading, openPortal } from '../lib/portal.mjs';

// A small inline SVG, so the test needs no network for the logo.
const LOGO =
  'data:image/svg+xml;base64,' +
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="24"><rect width="96" height="24" rx="4" fill="#0a7c59"/></svg>',
  ).toString('base64');

let herald;
let host;
let browser;

before(async () => {
  host = await startIframeHost();
  herald = await startHerald({ env: { HERALD_EMBED_ORIGINS: host.origin, HERALD_PORTAL_NAME: 'Fiskl' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.close();
  await herald?.stop();
});

/** "rgb(r, g, b)" → [r, g, b] */
function rgb(css) {
  const m = css.match(/rgba?\((\d+),\s*(\d+),\s*(\d+)/);
  assert.ok(m, `not a colour: ${css}`);
  return m.slice(1, 4).map(Number);
}

function hexToRgb(hex) {
  const h = hex.trim().replace('#', '');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
}

/** Relative luminance, 0 (black) to 1 (white). */
function luminance([r, g, b]) {
  const lin = (v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

test('framed by the host, the portal wears its name, logo, accent and dark theme', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald, { name: 'Acme Corp' });
  await herald.setBranding(app, { logoUrl: LOGO, accentColor: '#0a7c59' });
  const link = await herald.mintPortalLink(app, { branding: { theme: 'dark' } });
  host.setTarget(link.url);

  const { page } = browser;
  await guard(page, 'branding-iframe', herald, async () => {
    await page.goto(host.url);
    const frame = page.frameLocator('iframe[title="Webhooks"]');
    await endpointsHeading(frame).waitFor();
    await waitForHydration(frame, herald, { required: true });
    const doc = () => page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(herald.url));

    const look = await doc().evaluate(() => {
      const html = document.documentElement;
      const css = getComputedStyle(html);
      const add = [...document.querySelectorAll('a.button--primary')].find((a) => a.textContent.includes('Add endpoint'));
      const logo = document.querySelector('.portal-brand__logo');
      return {
        theme: html.dataset.theme,
        title: document.title,
        bg: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.body).color,
        accentDark: css.getPropertyValue('--accent-dark'),
        buttonBg: add && getComputedStyle(add).backgroundColor,
        buttonText: add && getComputedStyle(add).color,
        logoLoaded: !!logo && logo.complete && logo.naturalWidth > 0,
        heraldHeader: !!document.querySelector('.site-header, .site-footer'),
        bodyText: document.body.innerText,
        hostName: document.querySelector('.portal-brand__host')?.textContent,
      };
    });
    assert.equal(look.theme, 'dark');
    assert.equal(look.title, 'Endpoints · Acme Corp · Fiskl');
    assert.ok(luminance(rgb(look.bg)) < 0.05, `a dark background: ${look.bg}`);
    assert.ok(luminance(rgb(look.text)) > 0.6, `light text: ${look.text}`);
    assert.ok(look.logoLoaded, 'the host logo is shown');
    assert.equal(look.hostName, 'Fiskl', 'the host name is shown');
    assert.ok(!look.heraldHeader, 'no Herald header or footer in the portal');
    assert.ok(!look.bodyText.includes('API reference'), 'no Herald navigation');
    // The company's accent, lightened for the dark theme, on the primary button.
    assert.deepEqual(rgb(look.buttonBg), hexToRgb(look.accentDark), `${look.buttonBg} vs ${look.accentDark}`);
    assert.notDeepEqual(rgb(look.buttonBg), [0x8a, 0xb4, 0xff], "not Herald's own accent");
    const [bg, fg] = [luminance(rgb(look.buttonBg)), luminance(rgb(look.buttonText))];
    const ratio = (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05);
    assert.ok(ratio >= 4.5, `button text contrast ${ratio.toFixed(2)}`);
    await screenshot(page, 'branding-01-dark-iframe');

    // Navigating in the hydrated page: the title follows, the theme stays.
    await frame.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Delivery log' }).click();
    await frame.getByRole('heading', { name: 'Delivery log' }).first().waitFor();
    await eventually(async () => {
      assert.equal(await doc().evaluate(() => document.title), 'Delivery log · Acme Corp · Fiskl');
    });
    assert.equal(await doc().evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(page.url(), host.url, 'still framed');
    await screenshot(page, 'branding-02-dark-log');
  });
});

test('a theme of auto follows the system setting', { timeout: 120_000 }, async () => {
  const { app } = await seedTenant(herald, { name: 'Globex' });
  for (const [scheme, dark] of [
    ['dark', true],
    ['light', false],
  ]) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    try {
      await guard(page, `branding-auto-${scheme}`, herald, async () => {
        await openPortal(page, herald, app, { linkOptions: { branding: { theme: 'auto' } } });
        const theme = await page.evaluate(() => document.documentElement.dataset.theme);
        assert.equal(theme, 'auto');
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.equal(luminance(rgb(bg)) < 0.05, dark, `${scheme}: ${bg}`);
        await screenshot(page, `branding-03-auto-${scheme}`);
      });
    } finally {
      await context.close();
    }
  }
});
