// The portal's first visit on a cold cache, as a company admin arriving from the host product
// (issue 14, part 4): how long from following the portal link until the Endpoints page is
// interactive (hydrated), under Chromium DevTools' network profiles, and what went over the wire.
//
//   node bench/first-visit.mjs [--runs 5] [--profile fast4g|slow4g|none]
//
// Uses the same binary and site as the browser tests (HERALD_BIN, HERALD_SITE_ROOT). Each run is
// a new browser context, so nothing is cached. Prints one line per run and the median.
import { startHerald, seedTenant, launchBrowser } from '../lib/harness.mjs';

// DevTools' presets (front_end/core/sdk/NetworkManager.ts): throughput in bytes/s, latency in ms.
const PROFILES = {
  fast4g: { downloadThroughput: (9 * 1000 * 1000 * 0.9) / 8, uploadThroughput: (1.5 * 1000 * 1000 * 0.9) / 8, latency: 60 * 2.75 },
  slow4g: { downloadThroughput: (1.6 * 1000 * 1000 * 0.9) / 8, uploadThroughput: (750 * 1000 * 0.9) / 8, latency: 150 * 3.75 },
  none: null,
};

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const runs = Number(arg('runs', '5'));
const profileName = arg('profile', 'fast4g');
if (!(profileName in PROFILES)) throw new Error(`--profile: one of ${Object.keys(PROFILES).join(', ')}`);
const profile = PROFILES[profileName];

const herald = await startHerald({ env: { RUST_LOG: 'warn' } });
const browser = await launchBrowser();
try {
  if (!herald.siteBuilt) throw new Error('the site is not built (scripts/build-site.sh)');
  const { app } = await seedTenant(herald);
  for (let i = 0; i < 3; i++) await herald.createEndpoint(app, `https://example.com/hook/${i}`, { description: `Endpoint ${i}` });
  const times = [];
  for (let run = 1; run <= runs; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (profile) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...profile });
    const sizes = new Map();
    cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
    const link = await herald.mintPortalLink(app);
    const start = Date.now();
    await page.goto(link.url, { waitUntil: 'commit' });
    await page.locator('[data-hydrated="true"]').first().waitFor({ state: 'attached', timeout: 120_000 });
    const ms = Date.now() - start;
    const bytes = [...sizes.values()].reduce((a, b) => a + b, 0);
    times.push(ms);
    console.log(`run ${run}: interactive after ${ms} ms, ${(bytes / 1024).toFixed(0)} KiB transferred`);
    await context.close();
  }
  times.sort((a, b) => a - b);
  console.log(`profile ${profileName}: median ${times[Math.floor(times.length / 2)]} ms (range ${times[0]}-${times[times.length - 1]} ms) over ${runs} runs`);
} finally {
  await browser.close();
  await herald.stop();
}
