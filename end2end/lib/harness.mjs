// Test harness for Herald's browser tests: starts the real `herald` binary on a free port with a
// throw-away SQLite database, talks to its REST API, runs a webhook receiver and a cross-site
// page that frames the portal, and drives Debian's Chromium through playwright-core.
//
// Nothing here builds anything: the binary comes from HERALD_BIN, else ../target/release/herald,
// else ../target/debug/herald (relative to end2end/).

import { spawn, execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { after } from 'node:test';
import { chromium } from 'playwright-core';

export const END2END_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = path.resolve(END2END_DIR, '..');
export const SCREENSHOT_DIR = path.join(END2END_DIR, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The herald binary to test: HERALD_BIN, else the release build, else the debug build. */
export function heraldBin() {
  if (process.env.HERALD_BIN) return path.resolve(END2END_DIR, process.env.HERALD_BIN);
  const release = path.join(REPO_DIR, 'target', 'release', 'herald');
  if (existsSync(release)) return release;
  return path.join(REPO_DIR, 'target', 'debug', 'herald');
}

/** The site root (the front-end's /pkg assets) served by herald: HERALD_SITE_ROOT or target/site. */
export function siteRoot() {
  return path.resolve(END2END_DIR, process.env.HERALD_SITE_ROOT || path.join(REPO_DIR, 'target', 'site'));
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** An API key in the form herald generates: `hk_` and URL-safe base64 of 32 random bytes. */
export function randomApiKey() {
  return `hk_${randomBytes(32).toString('base64url')}`;
}

function tail(file, lines = 80) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

class HttpError extends Error {
  constructor(method, url, status, body) {
    super(`${method} ${url} answered ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }
}

function idOf(app) {
  return typeof app === 'string' ? app : app.id;
}

/**
 * Starts `herald serve` on a free port with a fresh SQLite database in a temp dir.
 * `env` adds or overrides HERALD_* variables (a null value removes one).
 * Returns a handle: { url, apiKey, tmpDir, logPath, env, siteBuilt, stop(), api(), log(), ... helpers }.
 */
export async function startHerald({ env = {}, startTimeoutMs = 60_000 } = {}) {
  const bin = heraldBin();
  if (!existsSync(bin)) {
    throw new Error(`herald binary not found at ${bin}: build it, or set HERALD_BIN`);
  }
  const port = await freePort();
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'herald-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  const apiKey = randomApiKey();
  const logPath = path.join(tmpDir, 'herald.log');

  // Only our HERALD_* settings reach the server: none leak in from the caller's shell.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HERALD_')));
  const heraldEnv = {
    HERALD_BIND: `127.0.0.1:${port}`,
    HERALD_BASE_URL: url,
    HERALD_DATABASE_URL: `sqlite://${path.join(tmpDir, 'herald.db')}`,
    HERALD_DATA_DIR: tmpDir,
    HERALD_BOOTSTRAP_API_KEY: apiKey,
    HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
    HERALD_RETRY_SCHEDULE: '1s,1s',
    HERALD_SITE_ROOT: siteRoot(),
    HERALD_ENV: 'development',
    RUST_LOG: process.env.RUST_LOG || 'info',
    NO_COLOR: '1',
  };
  for (const [k, v] of Object.entries(env)) {
    if (v === null || v === undefined) delete heraldEnv[k];
    else heraldEnv[k] = String(v);
  }
  const childEnv = { ...base, ...heraldEnv };

  const logFd = openSync(logPath, 'a');
  // cwd is the temp dir so that no herald.toml from the caller's directory is read.
  const child = spawn(bin, ['serve'], { cwd: tmpDir, env: childEnv, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.on('error', (err) => {
      exited = { code: null, signal: null, error: err };
      resolve(exited);
    });
  });

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exited) {
      const why = exited.error ? exited.error.message : `exit code ${exited.code}, signal ${exited.signal}`;
      const log = tail(logPath);
      console.error(`herald failed to start (${why}). Log ${logPath}:\n${log}`);
      throw new Error(`herald failed to start (${why})\n${log}`);
    }
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 204 || res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      const log = tail(logPath);
      console.error(`herald did not answer /api/v1/health within ${startTimeoutMs} ms. Log ${logPath}:\n${log}`);
      throw new Error(`herald did not answer /api/v1/health within ${startTimeoutMs} ms\n${log}`);
    }
    await sleep(100);
  }

  // Whether the front-end (hydration script and wasm) is there to be served.
  let siteBuilt = false;
  try {
    siteBuilt = (await fetch(`${url}/pkg/herald.js`)).ok;
  } catch {
    siteBuilt = false;
  }

  /** A JSON request with the API key. Returns { status, headers, body } (body parsed when JSON). */
  async function api(method, apiPath, body) {
    const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    const init = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(`${url}${apiPath}`, init);
    const text = await res.text();
    let parsed = text;
    if (text && (res.headers.get('content-type') || '').includes('json')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /** Like api(), but throws unless the status is 2xx, and returns only the body. */
  async function ok(method, apiPath, body) {
    const res = await api(method, apiPath, body);
    if (res.status < 200 || res.status > 299) throw new HttpError(method, apiPath, res.status, res.body);
    return res.body;
  }

  const herald = {
    url,
    port,
    apiKey,
    tmpDir,
    logPath,
    bin,
    env: heraldEnv,
    siteBuilt,
    api,
    ok,
    /** The last lines of the server's log. */
    log: (lines = 80) => tail(logPath, lines),

    async stop({ keep = !!process.env.HERALD_E2E_KEEP } = {}) {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exitPromise;
        clearTimeout(timer);
      }
      if (keep) console.error(`herald temp dir kept: ${tmpDir}`);
      else await rm(tmpDir, { recursive: true, force: true });
    },

    /** POST /api/v1/app */
    createApp(name, uid) {
      return ok('POST', '/api/v1/app', uid ? { name, uid } : { name });
    },

    /** PUT /api/v1/app/{app}/branding: the company's name, logo, accent and theme */
    setBranding(app, branding) {
      return ok('PUT', `/api/v1/app/${encodeURIComponent(idOf(app))}/branding`, branding);
    },

    /** POST /api/v1/event-type */
    createEventType({ name, description = name, groupName, schemas }) {
      const body = { name, description };
      if (groupName !== undefined) body.groupName = groupName;
      if (schemas !== undefined) body.schemas = schemas;
      return ok('POST', '/api/v1/event-type', body);
    },

    /** POST /api/v1/app/{app}/endpoint; opts: description, eventTypes, disabled, uid, secret, ... */
    createEndpoint(app, endpointUrl, opts = {}) {
      return ok('POST', `/api/v1/app/${encodeURIComponent(idOf(app))}/endpoint`, { url: endpointUrl, ...opts });
    },

    /** GET /api/v1/app/{app}/endpoint (the first page's data) */
    async listEndpoints(app) {
      return (await ok('GET', `/api/v1/app/${encodeURIComponent(idOf(app))}/endpoint`)).data;
    },

    getEndpoint(app, endpoint) {
      return ok('GET', `/api/v1/app/${encodeURIComponent(idOf(app))}/endpoint/${encodeURIComponent(idOf(endpoint))}`);
    },

    async endpointSecret(app, endpoint) {
      const p = `/api/v1/app/${encodeURIComponent(idOf(app))}/endpoint/${encodeURIComponent(idOf(endpoint))}/secret`;
      return (await ok('GET', p)).key;
    },

    /** POST /api/v1/app/{app}/msg */
    sendMessage(app, eventType, payload = {}, extra = {}) {
      return ok('POST', `/api/v1/app/${encodeURIComponent(idOf(app))}/msg`, { eventType, payload, ...extra });
    },

    /** POST /api/v1/auth/app-portal-access/{app} → { url, token } */
    mintPortalLink(app, { readOnly, capabilities, expiry, sessionId, branding, locale } = {}) {
      const body = {};
      if (locale !== undefined) body.locale = locale;
      if (branding !== undefined) body.branding = branding;
      if (readOnly !== undefined) body.readOnly = readOnly;
      if (capabilities !== undefined) body.capabilities = capabilities;
      if (expiry !== undefined) body.expiry = expiry;
      if (sessionId !== undefined) body.sessionId = sessionId;
      return ok('POST', `/api/v1/auth/app-portal-access/${encodeURIComponent(idOf(app))}`, body);
    },

    /**
     * Runs `herald user create --email E --password P [--tenant T] [--permission X]... [--operator]`
     * with the server's environment (same database and data dir). Resolves to its stdout.
     */
    createUser({ email, password, tenant, permission, operator = false }) {
      const args = ['user', 'create', '--email', email, '--password', password];
      if (tenant) args.push('--tenant', idOf(tenant));
      for (const p of [].concat(permission ?? [])) args.push('--permission', p);
      if (operator) args.push('--operator');
      return new Promise((resolve, reject) => {
        execFile(bin, args, { cwd: tmpDir, env: childEnv, timeout: 60_000 }, (err, stdout, stderr) => {
          if (err) reject(new Error(`herald ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
          else resolve(stdout);
        });
      });
    },
  };
  return herald;
}

/**
 * The usual tenant: an application and four event types, three in categories
 * ("invoice": invoice.created, invoice.paid; "payment": payment.succeeded) and one without.
 */
export async function seedTenant(herald, { name = 'Acme Corp', uid } = {}) {
  const app = await herald.createApp(name, uid ?? `acme-${randomBytes(4).toString('hex')}`);
  const eventTypes = [
    { name: 'invoice.created', description: 'An invoice was created', groupName: 'invoice' },
    { name: 'invoice.paid', description: 'An invoice was paid', groupName: 'invoice' },
    { name: 'payment.succeeded', description: 'A payment went through', groupName: 'payment' },
  ];
  for (const et of eventTypes) {
    const r = await herald.api('POST', '/api/v1/event-type', et);
    // Event types are global: a second tenant on the same server finds them there already.
    if (r.status !== 201 && r.status !== 200 && r.status !== 409) {
      throw new HttpError('POST', '/api/v1/event-type', r.status, r.body);
    }
  }
  return { app, eventTypes };
}

function listen(server, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve(server.address().port));
  });
}

function closeServer(server) {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

/**
 * A webhook receiver on 127.0.0.1 that answers 200 and records each request
 * ({ method, path, headers, body, at }). `status` may be changed to make it fail.
 */
export async function startReceiver({ status = 200 } = {}) {
  const requests = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      res.writeHead(receiver.status, { 'content-type': 'text/plain' });
      res.end('ok');
      for (const w of waiters.splice(0)) w();
    });
  });
  const port = await listen(server, '127.0.0.1');
  const receiver = {
    url: `http://127.0.0.1:${port}/webhook`,
    port,
    status,
    requests,
    /** Resolves with the requests once at least n have arrived; rejects after timeoutMs. */
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(`receiver got ${requests.length} request(s), expected at least ${n} within ${timeoutMs} ms`);
        }
        await new Promise((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return requests;
    },
    close: () => closeServer(server),
  };
  return receiver;
}

/**
 * Whether a received request carries a Standard Webhooks signature made with `secret`
 * (`whsec_` + base64 key): v1 = base64(HMAC-SHA256(key, "id.timestamp.body")).
 */
export function signedWith(secret, request) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const id = request.headers['webhook-id'];
  const ts = request.headers['webhook-timestamp'];
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${request.body}`).digest('base64');
  return (request.headers['webhook-signature'] || '')
    .split(' ')
    .some((s) => s === `v1,${expected}`);
}

function escapeAttr(s) {
  return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * A host product's page on another site (http://localhost:PORT/, while herald is on 127.0.0.1)
 * that frames `targetUrl` in <iframe title="Webhooks">. The target may be set later with
 * setTarget(), so that herald can be started knowing the host's `origin` (HERALD_EMBED_ORIGINS)
 * before a link is minted.
 */
export async function startIframeHost(targetUrl = 'about:blank') {
  let target = targetUrl;
  const page = () => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Host product</title></head>
<body style="margin:0;font-family:sans-serif">
<header style="padding:8px 16px;background:#223;color:#fff"><h1 style="margin:0;font-size:18px">Host product</h1></header>
<iframe title="Webhooks" src="${escapeAttr(target)}" style="width:100%;height:900px;border:0"></iframe>
</body>
</html>`;
  const server = http.createServer((req, res) => {
    if (req.url === '/' || req.url.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page());
    } else if (req.url === '/favicon.ico') {
      // A host product has one; without it Chromium logs the 404 as a console error.
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  const port = await listen(server, '127.0.0.1');
  return {
    url: `http://localhost:${port}/`,
    origin: `http://localhost:${port}`,
    port,
    setTarget(url) {
      target = url;
    },
    close: () => closeServer(server),
  };
}

/**
 * Launches headless Chromium and opens one context and page.
 * Returns { browser, context, page, newContext(opts), close() }; newContext() keeps the same
 * javaScriptEnabled unless told otherwise.
 */
export async function launchBrowser({ javaScriptEnabled = true, timeoutMs = 15_000, ...contextOptions } = {}) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox'],
  });
  const newContext = async (opts = {}) => {
    const context = await browser.newContext({
      javaScriptEnabled,
      viewport: { width: 1280, height: 900 },
      ...contextOptions,
      ...opts,
    });
    context.setDefaultTimeout(timeoutMs);
    context.on('page', (p) => watchPage(p));
    scriptsOn.set(context, opts.javaScriptEnabled ?? contextOptions.javaScriptEnabled ?? javaScriptEnabled);
    return context;
  };
  const context = await newContext();
  const page = await context.newPage();
  // NODE_TEST_CONTEXT: run by `node --test` (a bench script uses the browser outside tests).
  if (!backstopRegistered && process.env.NODE_TEST_CONTEXT) {
    backstopRegistered = true;
    // Registered from the file's `before`, so it runs after the file's own clean-up hooks (a
    // hook that throws stops the ones after it): a problem no guard saw still fails the run.
    after(() => assertNoPageProblems());
  }
  return { browser, context, page, newContext, close: () => browser.close() };
}

/**
 * Every uncaught page error (a Rust panic in the wasm surfaces as one) and console error seen by
 * any page of this process since the last check. Browser tests fail on any of them: a panic
 * during hydration leaves a page that looks right and whose controls do nothing.
 */
const pageProblems = [];
let backstopRegistered = false;

/** Throws, listing them, if any page logged an uncaught error or a console error. */
export function assertNoPageProblems() {
  if (pageProblems.length === 0) return;
  const found = pageProblems.splice(0);
  throw new Error(`the page reported ${found.length} error(s):\n${found.join('\n')}`);
}

const scriptsOn = new WeakMap();

/** Whether scripts run in this page's (or context's) browser context, as it was created here. */
export function isJsEnabled(pageOrContext) {
  const context = typeof pageOrContext.context === 'function' ? pageOrContext.context() : pageOrContext;
  return scriptsOn.get(context) ?? true;
}

/** Records a page's uncaught errors and console errors (see `assertNoPageProblems`). */
function watchPage(page) {
  page.on('pageerror', (err) => {
    console.error(`[page error] ${page.url()}: ${err.message}`);
    pageProblems.push(`[page error] ${page.url()}: ${err.message}`);
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // A page answered with an error status (a test opening a page it may not see) is the
    // test's to check; Chromium logs it as a failed load of the document itself.
    if (msg.text().startsWith('Failed to load resource') && msg.location().url === page.url()) return;
    // A server function's refusal (a wrong password, a field that does not parse) is answered
    // with its 4xx status and shown in the page, which the test checks; Chromium logs the
    // status as well. A 5xx still counts.
    if (/status of 4\d\d/.test(msg.text()) && /\/(portal|admin)\/fn\//.test(msg.location().url)) return;
    const line = `[console error] ${page.url()}: ${msg.text()}`;
    console.error(line);
    pageProblems.push(line);
  });
}

function safeName(name) {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** A full-page screenshot at end2end/screenshots/NAME.png. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${safeName(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Retries an async assertion until it passes or timeoutMs runs out (then throws its last error). */
export async function eventually(fn, { timeoutMs = 10_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await sleep(intervalMs);
  }
}

/**
 * Waits until the Leptos app has hydrated (the `.site` element's data-hydrated="true") in a page
 * or frame. `required` turns a missing front-end build into a clear failure instead of a timeout.
 */
export async function waitForHydration(root, herald, { required = false, timeoutMs = 20_000 } = {}) {
  if (!herald.siteBuilt) {
    if (required) {
      throw new Error(
        `${herald.url}/pkg/herald.js is not served: the front-end is not built in ${siteRoot()} ` +
          '(cargo leptos build), so a JavaScript test would test nothing',
      );
    }
    return false;
  }
  await root.locator('[data-hydrated="true"]').first().waitFor({ state: 'attached', timeout: timeoutMs });
  return true;
}

/**
 * Runs fn; on failure saves a screenshot NAME-failure.png of `page` and prints herald's log tail,
 * then rethrows.
 */
export async function guard(page, name, herald, fn) {
  try {
    const result = await fn();
    assertNoPageProblems();
    return result;
  } catch (err) {
    try {
      if (page && !page.isClosed()) await screenshot(page, `${name}-failure`);
    } catch {
      // the screenshot is a courtesy
    }
    if (herald) console.error(`--- herald log (${name}) ---\n${herald.log(60)}`);
    throw err;
  }
}

export { sleep };
