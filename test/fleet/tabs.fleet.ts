/**
 * Two tabs of one page in a real (Debian) Chromium, each with its own jwt() client on
 * browserStore(): one login and one refresh for both, counted at the mock. Control: the same two
 * tabs without Web Locks fall back to in-tab behaviour and make one of each per tab.
 * Chromium is launched the way scripts/browser-test.mjs does (playwright-core, /usr/bin/chromium).
 */
import { existsSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOCK_CREDENTIALS, type MockServer, startMockServer } from '../../src/testing/index.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'];
const CALLS = 20;

let browser: Browser;
let mock: MockServer;
let site: Server;
let origin: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium), or set CHROMIUM.`);
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./tabs/page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const html = '<!doctype html><meta charset="utf-8"><title>bearerkit tab</title><script type="module" src="/tab.js"></script>';
  site = createServer((req, res) => {
    if (req.url === '/tab.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (req.url === '/' || req.url === '/index.html') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  mock = await startMockServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await mock?.close();
  await new Promise((resolve) => site?.close(resolve));
});

interface Tab {
  page: Page;
  run(calls: number): Promise<{ ok: number; failures: string[] }>;
  timed(path: string): Promise<number>;
}

async function openTabs(count: number, options: { withoutLocks?: boolean } = {}, context?: Awaited<ReturnType<Browser['newContext']>>) {
  const ctx = context ?? (await browser.newContext());
  const tabs: Tab[] = [];
  for (let i = 0; i < count; i++) {
    const page = await ctx.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'fleetTab' in window);
    const shared = await page.evaluate(
      (setup) => (window as unknown as { fleetTab: { setup(s: unknown): boolean } }).fleetTab.setup(setup),
      {
        baseURL: mock.urls.spherescout,
        username: MOCK_CREDENTIALS.spherescout.username,
        password: MOCK_CREDENTIALS.spherescout.password,
        withoutLocks: options.withoutLocks ?? false,
      },
    );
    expect(shared).toBe(!options.withoutLocks);
    tabs.push({
      page,
      run: (calls) =>
        page.evaluate(
          (n) => (window as unknown as { fleetTab: { run(n: number): Promise<{ ok: number; failures: string[] }> } }).fleetTab.run(n),
          calls,
        ),
      timed: (path) =>
        page.evaluate((p) => (window as unknown as { fleetTab: { timed(p: string): Promise<number> } }).fleetTab.timed(p), path),
    });
  }
  return { context: ctx, tabs };
}

async function round(tabs: Tab[]): Promise<void> {
  const results = await Promise.all(tabs.map((t) => t.run(CALLS)));
  for (const r of results) expect(r).toEqual({ ok: CALLS, failures: [] });
}

describe('browserStore() across tabs (Chromium)', () => {
  it(`two tabs x ${CALLS} concurrent calls: one login and one refresh for both; a tab opened later logs in not at all`, async () => {
    const ss = mock.apis.spherescout;

    // Control: no Web Locks -> in-tab behaviour, each tab renews on its own.
    mock.apis.reset();
    const alone = await openTabs(2, { withoutLocks: true });
    await round(alone.tabs);
    const aloneLogins = ss.stats.logins;
    ss.expireAccessTokens();
    await round(alone.tabs);
    const aloneRefreshes = ss.stats.refreshes;
    await alone.context.close();
    expect(aloneLogins).toBe(2);
    expect(aloneRefreshes).toBe(2);

    mock.apis.reset();
    const { context, tabs } = await openTabs(2);
    await round(tabs);
    expect(ss.stats.logins).toBe(1);
    ss.expireAccessTokens();
    await round(tabs);
    expect(ss.stats.refreshes).toBe(1);
    expect(ss.stats.logins).toBe(1);

    // A third tab, opened now, starts from the stored credential.
    const later = await openTabs(1, {}, context);
    await round(later.tabs);
    expect(ss.stats.logins).toBe(1);
    expect(ss.stats.refreshes).toBe(1);
    await context.close();

    console.log(`[fleet] 2 Chromium tabs x ${CALLS} concurrent calls: logins without shared store ${aloneLogins}, with browserStore 1`);
    console.log(`[fleet] 2 Chromium tabs x ${CALLS} concurrent calls, expired token: refreshes without ${aloneRefreshes}, with browserStore 1; a 3rd tab opened later: 0 logins`);
  });

  it("a 429 in one tab holds back the other tab's requests until its Retry-After", async () => {
    const ss = mock.apis.spherescout;
    const RETRY_MS = 1_500;
    const measure = async (withoutLocks: boolean): Promise<number> => {
      mock.apis.reset();
      const { context, tabs } = await openTabs(2, { withoutLocks });
      await round(tabs);
      ss.failNext(1, { status: 429, headers: { 'retry-after-ms': String(RETRY_MS) } });
      const first = tabs[0]!.timed('/api/user/profile'); // gets the 429, waits, retries
      await new Promise((resolve) => setTimeout(resolve, 300));
      const other = await tabs[1]!.timed('/api/user/profile');
      await first;
      await context.close();
      return other;
    };
    const alone = await measure(true);
    const shared = await measure(false);
    expect(alone).toBeLessThan(500);
    // Asked ~300 ms into the 1.5 s pause: it waits out the rest.
    expect(shared).toBeGreaterThanOrEqual(RETRY_MS - 300 - 150);
    console.log(
      `[fleet] 429 (Retry-After ${RETRY_MS} ms) in tab 1: tab 2's call 300 ms later took ${Math.round(alone)} ms without shared store, ${Math.round(shared)} ms with browserStore`,
    );
  });
});
