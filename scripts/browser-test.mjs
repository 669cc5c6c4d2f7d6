#!/usr/bin/env node
// npm run test:browser: bearerkit's built ESM, from the packed tarball, in a real Chromium.
//   1. Bundle each browser entry (bearerkit, /spherescout, /scamverify, /openprospect; and
//      /testing, whose server part may only be a lazy `import('node:http')`) and the page app
//      (test/browser/app.js) with esbuild for the browser. A Node-only module fails the bundle.
//   2. Serve the page from http://127.0.0.1:<port A>; run startMockServer() on 127.0.0.1:<port B>:
//      every call is cross-origin (CORS preflights included).
//   3. Drive Debian's Chromium with playwright-core, headless, and run in the page: an API key call;
//      JWT login, expiry and silent refresh (refreshes counted); a 429 waited out as Retry-After
//      says; a ScopeError caught with its scopes. Node asserts on what the page returns and on the
//      mock's own counters.
//
//   CHROMIUM=/path/to/chromium overrides /usr/bin/chromium.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { ENTRIES, LAZY_NODE_IMPORTS, ROOT, bundleProblems, fail, log, nodeOnlyGuard, packedProject, run } from './lib/common.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const HOST = '127.0.0.1';
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

if (!existsSync(CHROMIUM)) {
  fail(
    [
      `Chromium is not installed at ${CHROMIUM}.`,
      'Install Debian\'s Chromium (as root):   apt-get update && apt-get install -y chromium',
      'or point CHROMIUM at a Chromium/Chrome binary:   CHROMIUM=/path/to/chromium npm run test:browser',
    ].join('\n'),
  );
}

const chromiumVersion = run(CHROMIUM, ['--version'], { capture: true, allowFailure: true }).stdout.trim().split('\n').pop();

const browserBundle = (options) =>
  build({
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    ...options,
  });

async function main() {
  const project = packedProject('browser');
  log(`packed ${project.tarball.split('/').pop()}, unpacked into ${project.packageDir}`);

  // -- 1. the guard: fails on a Node-only import (checked on a fixture first), then every entry.
  log('\n== bundle for the browser (esbuild, platform browser); a Node-only module fails the bundle');
  const refused = await browserBundle({
    stdin: { contents: "import { createHash } from 'node:crypto'; export const h = createHash;", resolveDir: project.dir },
    plugins: [nodeOnlyGuard()],
  }).then(
    () => undefined,
    (error) => error,
  );
  assert.ok(refused?.message.includes('Node-only module "node:crypto"'), 'the guard refuses a fixture that imports node:crypto');
  log('ok   guard self-check: a fixture importing node:crypto is refused');
  for (const { specifier } of ENTRIES.filter((entry) => entry.browser)) {
    const lazy = [];
    const allowLazy = LAZY_NODE_IMPORTS[specifier] ?? [];
    const result = await browserBundle({
      stdin: { contents: `export * from '${specifier}';`, resolveDir: project.dir },
      plugins: [nodeOnlyGuard({ allowLazy, seen: lazy })],
    }).catch((error) => fail(`${specifier} does not bundle for the browser:\n${error.message}`));
    if (!specifier.endsWith('/testing')) {
      const problems = bundleProblems(result.metafile);
      if (problems.length > 0) fail(`${specifier}: ${problems.join('; ')}`);
    }
    const note = lazy.length > 0 ? ` (lazy, only inside startMockServer(): ${[...new Set(lazy.map((l) => `import('${l.path}')`))].join(', ')})` : '';
    log(`ok   ${specifier}: no Node-only module${note}`);
  }

  // The page app, bundled from inside the scratch project (its own package scope), so `bearerkit`
  // resolves to the packed package in its node_modules, never to the repository itself.
  copyFileSync(join(ROOT, 'test/browser/app.js'), join(project.dir, 'app.js'));
  const app = await browserBundle({
    entryPoints: [join(project.dir, 'app.js')],
    outfile: join(project.dir, 'www/app.js'),
    sourcemap: 'inline',
    plugins: [nodeOnlyGuard()],
  }).catch((error) => fail(`the page app does not bundle for the browser:\n${error.message}`));
  const inputs = Object.keys(app.metafile.inputs);
  const fromTarball = inputs.filter((i) => i.includes('node_modules/.cache/bearerkit-scripts/browser/node_modules/bearerkit/dist/'));
  const fromSource = inputs.filter((i) => /^(src|dist)\//.test(i));
  assert.ok(fromTarball.length > 0 && fromSource.length === 0, `the page uses the packed dist only (inputs: ${inputs.join(', ')})`);
  const problems = bundleProblems(app.metafile);
  assert.deepEqual(problems, [], 'the page bundle has no second copy and no classic zod');
  const appJs = app.outputFiles[0].contents;
  log(`ok   page app: ${(appJs.byteLength / 1000).toFixed(0)} kB (unminified, inline source map), ${fromTarball.length} modules from the packed dist`);

  // -- 2. the mock API (from the packed testing entry) and the page's own origin.
  const { startMockServer, MOCK_CREDENTIALS } = await import(join(project.packageDir, 'dist/testing.js'));
  const mock = await startMockServer();
  const html = readFileSync(join(ROOT, 'test/browser/index.html'));
  const pageServer = createServer((req, res) => {
    const path = new URL(req.url ?? '/', `http://${HOST}`).pathname;
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    } else if (path === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(appJs);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve) => pageServer.listen(0, HOST, resolve));
  const pageURL = `http://${HOST}:${pageServer.address().port}/`;
  log(`\n== page ${pageURL}  ->  mock API ${mock.url} (another origin)`);

  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    // Chromium logs every non-2xx response ("Failed to load resource: … 401"): the scenarios cause
    // those on purpose and they are counted; any other console error or warning is shown.
    const failedLoads = new Map();
    page.on('console', (message) => {
      const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(message.text())?.[1];
      if (status) failedLoads.set(status, (failedLoads.get(status) ?? 0) + 1);
      else if (message.type() === 'error' || message.type() === 'warning') log(`  [browser ${message.type()}] ${message.text()}`);
    });
    // Every request the page makes: to which origin, and what the mock said about CORS.
    const apiResponses = [];
    page.on('response', (response) => {
      if (response.url().startsWith(mock.url)) {
        apiResponses.push({
          method: response.request().method(),
          status: response.status(),
          allowOrigin: response.headers()['access-control-allow-origin'],
        });
      }
    });

    const apis = mock.apis;
    await page.exposeFunction('bkMock', (action, ...args) => {
      switch (action) {
        case 'stats': {
          const { requests, logins, refreshes, byRoute } = apis[args[0]].stats;
          return { requests, logins, refreshes, byRoute: { ...byRoute } };
        }
        case 'expireAccessTokens':
          apis.spherescout.expireAccessTokens();
          return undefined;
        case 'accessTokenLifetimeMs':
          apis.spherescout.accessTokenLifetimeMs = args[0];
          return undefined;
        case 'failNext':
          apis[args[0]].failNext(args[1], args[2]);
          return undefined;
        default:
          throw new Error(`unknown mock action ${action}`);
      }
    });
    await page.addInitScript((config) => {
      window.__BEARERKIT_TEST__ = config;
    }, { urls: mock.urls, credentials: MOCK_CREDENTIALS });
    await page.goto(pageURL);
    await page.waitForFunction(() => window.bearerkitReady === true, undefined, { timeout: 10_000 });

    const scenario = async (name) => {
      apis.reset();
      return page.evaluate((n) => window.bearerkitTest.run(n), name);
    };
    const results = {};

    const env = (results.environment = await scenario('environment'));
    assert.notEqual(env.pageOrigin, env.apiOrigin, 'page and API are on different origins');
    assert.match(env.pageOrigin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(env.apiOrigin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(env.hasProcess, false, 'no `process` global in the page');
    assert.equal(env.hasBuffer, false, 'no `Buffer` global in the page');
    log(`ok   environment: page ${env.pageOrigin}, API ${env.apiOrigin}; ${env.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0]}; bearerkit ${env.bearerkit}`);

    const key = (results.apiKeyCall = await scenario('apiKeyCall'));
    assert.equal(key.email, MOCK_CREDENTIALS.spherescout.username);
    assert.ok(key.keyListLength >= 1);
    assert.equal(key.keyFunctionCalls, 1);
    const keyLog = apis.spherescout.log.map((entry) => entry.authorization);
    assert.ok(keyLog.every((a) => a === `Bearer ***${MOCK_CREDENTIALS.spherescout.apiKey.slice(-4)}`), `the key is sent as a Bearer token (${keyLog})`);
    log(`ok   API key: GET /api/user/profile -> ${key.email}; apiKey(fn) -> ${key.keyListLength} key(s), fn called ${key.keyFunctionCalls}x; sent as "${keyLog[0]}"`);

    const j = (results.jwt = await scenario('jwtLoginExpiryRefresh'));
    assert.ok(j.emails.length === 7 && j.emails.every((e) => e === MOCK_CREDENTIALS.spherescout.username), 'every call succeeded');
    assert.deepEqual([j.afterLogin.logins, j.afterLogin.refreshes], [1, 0], 'one login, lazily');
    assert.deepEqual([j.afterExpiry.logins, j.afterExpiry.refreshes], [1, 1], 'expired token: one silent refresh');
    assert.equal(j.afterExpiry.byRoute['GET /api/user/profile'], 3, 'profile: 1 + (401 + replay)');
    assert.deepEqual([j.afterConcurrent.logins, j.afterConcurrent.refreshes], [1, 2], '5 concurrent calls after expiry: one refresh');
    assert.equal(j.onTokensCalls, 3, 'onTokens after the login and each refresh');
    assert.equal(j.rotatedRefreshTokens, 3, 'a rotated refresh token each time');
    assert.deepEqual(j.proactive, { logins: 0, refreshes: 1, profileRequests: 1 }, 'short-lived token renewed ahead of time, no 401');
    log(
      `ok   JWT: login 1, expiry -> 401 -> refresh -> replay (refreshes 1), 5 concurrent after expiry share 1 refresh (refreshes 2); ` +
        `onTokens ${j.onTokensCalls}x with ${j.rotatedRefreshTokens} rotated refresh tokens; 4 s token renewed ahead of time: ` +
        `refreshes +${j.proactive.refreshes}, no 401 (profile requests +${j.proactive.profileRequests})`,
    );

    const r = (results.rateLimit = await scenario('rateLimit'));
    assert.equal(r.testMode, true);
    assert.equal(r.requests, 2, '429 then the retry');
    assert.ok(r.waitedMs >= 1_950 && r.waitedMs < 4_000, `waited ${r.waitedMs} ms for Retry-After: 2`);
    assert.equal(r.tooLong.isRateLimitError, true);
    assert.equal(r.tooLong.status, 429);
    assert.equal(r.tooLong.retryAfter, 30_000, 'Retry-After read through CORS (exposed header)');
    assert.ok(r.tooLong.thrownAfterMs < 1_000, 'over maxRetryDelay: thrown at once');
    log(
      `ok   429: Retry-After: 2 waited out in ${r.waitedMs} ms, then 200 (${r.requests} requests); ` +
        `Retry-After: 30 over maxRetryDelay 1000 -> ${r.tooLong.name} retryAfter ${r.tooLong.retryAfter} ms after ${r.tooLong.thrownAfterMs} ms`,
    );

    const s = (results.scopeError = await scenario('scopeError'));
    assert.equal(s.thrown, true);
    assert.equal(s.isScopeError, true, `ScopeError (got ${s.name}: ${s.message})`);
    assert.equal(s.isPermissionDeniedError, true);
    assert.equal(s.status, 403);
    assert.deepEqual(s.requiredScopes, ['orders:write']);
    assert.deepEqual(s.missingScopes, ['orders:write']);
    assert.ok(s.grantedScopes.includes('orders:read'));
    assert.match(s.requestID ?? '', /^req_/, 'x-request-id read through CORS');
    log(
      `ok   ScopeError: ${s.name} ${s.status} ${s.code}; required [${s.requiredScopes}], granted [${s.grantedScopes}], ` +
        `missing [${s.missingScopes}]; requestID ${s.requestID}`,
    );

    const cors = apiResponses.filter((response) => response.method !== 'OPTIONS');
    assert.ok(cors.length > 0 && cors.every((response) => response.allowOrigin === env.pageOrigin), 'every API response allowed the page origin');
    assert.deepEqual(pageErrors, [], 'no uncaught error in the page');
    log(`ok   CORS: ${cors.length} cross-origin API responses, each with access-control-allow-origin ${env.pageOrigin}`);
    const expected = [...failedLoads.entries()].map(([status, count]) => `${count}x ${status}`).join(', ');
    log(`     (the browser console logged the answers the scenarios provoked: ${expected})`);

    writeFileSync(join(project.dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    log(`\nbrowser test: ok (Chromium ${browser.version()} via playwright-core, headless; ${chromiumVersion}; Node ${process.version})`);
  } finally {
    await browser?.close();
    await new Promise((resolve) => pageServer.close(resolve));
    await mock.close();
  }
}

main().catch((error) => fail(error.stack ?? String(error)));
