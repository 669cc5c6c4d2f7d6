// The page app of `npm run test:browser`: bundled with esbuild from the packed tarball's ESM build
// (scripts/browser-test.mjs), served from one 127.0.0.1 origin, calling startMockServer() on another.
// Each scenario runs in the page and returns what it saw; the Node side asserts on it and on the
// mock's own counters. `window.bkMock(action, ...args)` turns the mock's knobs (exposed by playwright).
// Plain JS, not TS: `npm run typecheck` must not need a build, and vitest must not pick it up.
import {
  APIError,
  BearerkitError,
  Client,
  PermissionDeniedError,
  RateLimitError,
  ScopeError,
  VERSION,
  apiKey,
  jwt,
} from 'bearerkit';
import { OpenProspect } from 'bearerkit/openprospect';
import { ScamVerify } from 'bearerkit/scamverify';
import { SphereScout } from 'bearerkit/spherescout';

/** Set by the test before the page loads: `{ urls, credentials }`. */
const config = window.__BEARERKIT_TEST__;
const mock = (action, ...args) => window.bkMock(action, ...args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function show(line) {
  document.getElementById('log').textContent += `${line}\n`;
}

function describeError(error) {
  return {
    name: error?.name,
    message: error?.message,
    isBearerkitError: error instanceof BearerkitError,
    isAPIError: error instanceof APIError,
    status: error?.status,
    code: error?.code,
    requestID: error?.requestID,
  };
}

const scenarios = {
  /** Where the page runs, and where the API is: two origins, so every call is a CORS request. */
  async environment() {
    return {
      pageOrigin: location.origin,
      apiOrigin: new URL(config.urls.spherescout).origin,
      userAgent: navigator.userAgent,
      bearerkit: VERSION,
      hasProcess: typeof globalThis.process !== 'undefined',
      hasBuffer: typeof globalThis.Buffer !== 'undefined',
    };
  },

  /** A static API key with the core Client, and a key function; the key reaches the API as a Bearer token. */
  async apiKeyCall() {
    const { spherescout } = config.credentials;
    const client = new Client(spherescout.apiKey, { baseURL: config.urls.spherescout });
    const profile = await client.get('/api/user/profile');
    let calls = 0;
    const fromFunction = new Client({
      baseURL: config.urls.spherescout,
      auth: apiKey(async () => {
        calls += 1;
        return spherescout.apiKey;
      }),
    });
    const keys = await fromFunction.get('/api/user/api-keys');
    return { email: profile.email, keyListLength: keys.length, keyFunctionCalls: calls };
  },

  /**
   * JWT: a lazy login; the server expires the access token, the next call answers 401 and is
   * refreshed and replayed without the app seeing it; five concurrent calls after the next expiry
   * share one refresh; then, with a short-lived token, the refresh happens ahead of time (no 401).
   */
  async jwtLoginExpiryRefresh() {
    const { username, password } = config.credentials.spherescout;
    const seen = [];
    const client = new Client({
      baseURL: config.urls.spherescout,
      auth: jwt({ username, password, onTokens: (pair) => seen.push(pair) }),
    });
    const first = await client.get('/api/user/profile');
    const afterLogin = await mock('stats', 'spherescout');

    await mock('expireAccessTokens');
    const second = await client.get('/api/user/profile');
    const afterExpiry = await mock('stats', 'spherescout');

    await mock('expireAccessTokens');
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => client.get('/api/user/profile')));
    const afterConcurrent = await mock('stats', 'spherescout');

    // Proactive: a 4 s token is renewed from half its life on, before the server would refuse it.
    await mock('accessTokenLifetimeMs', 4_000);
    const ss = new SphereScout({ username, password, baseURL: config.urls.spherescout });
    await ss.user.profile();
    const beforeWait = await mock('stats', 'spherescout');
    await sleep(2_500);
    await ss.user.profile();
    const afterProactive = await mock('stats', 'spherescout');
    await mock('accessTokenLifetimeMs', 300_000);

    await sleep(0); // onTokens runs in a microtask after each renewal
    return {
      emails: [first.email, second.email, ...concurrent.map((p) => p.email)],
      onTokensCalls: seen.length,
      rotatedRefreshTokens: new Set(seen.map((pair) => pair.refresh)).size,
      afterLogin,
      afterExpiry,
      afterConcurrent,
      proactive: {
        logins: afterProactive.logins - beforeWait.logins,
        refreshes: afterProactive.refreshes - beforeWait.refreshes,
        profileRequests: afterProactive.byRoute['GET /api/user/profile'] - beforeWait.byRoute['GET /api/user/profile'],
      },
    };
  },

  /** A 429 with `Retry-After: 2` is waited out (2 s, not the 0.5 s backoff); one over maxRetryDelay throws at once. */
  async rateLimit() {
    const sv = new ScamVerify(config.credentials.scamverify.testKey, { baseURL: config.urls.scamverify });
    const before = await mock('stats', 'scamverify');
    await mock('failNext', 'scamverify', 1, { status: 429, headers: { 'Retry-After': '2' } });
    const started = performance.now();
    const result = await sv.phone.lookup({ phone_number: '+12025551234' });
    const waitedMs = Math.round(performance.now() - started);
    const after = await mock('stats', 'scamverify');

    const impatient = new ScamVerify(config.credentials.scamverify.testKey, {
      baseURL: config.urls.scamverify,
      maxRetryDelay: 1_000,
    });
    await mock('failNext', 'scamverify', 1, { status: 429, headers: { 'Retry-After': '30' } });
    const t0 = performance.now();
    let tooLong;
    try {
      await impatient.phone.lookup({ phone_number: '+12025551234' });
    } catch (error) {
      tooLong = { ...describeError(error), isRateLimitError: error instanceof RateLimitError, retryAfter: error.retryAfter };
    }
    return {
      testMode: result.test_mode,
      waitedMs,
      requests: after.requests - before.requests,
      tooLong: { ...tooLong, thrownAfterMs: Math.round(performance.now() - t0) },
    };
  },

  /** A read-only OpenProspect key creating an order: a ScopeError naming the scopes. */
  async scopeError() {
    const op = new OpenProspect(config.credentials.openprospect.readOnlyKey, { baseURL: config.urls.openprospect });
    try {
      await op.orders.create({ title: 'Q1 Enrichment', features: ['CONTACTS'], companies: [{ company_name: 'Example Corp' }] });
      return { thrown: false };
    } catch (error) {
      if (!(error instanceof ScopeError)) return { thrown: true, ...describeError(error), isScopeError: false };
      return {
        thrown: true,
        ...describeError(error),
        isScopeError: true,
        isPermissionDeniedError: error instanceof PermissionDeniedError,
        requiredScopes: error.requiredScopes,
        grantedScopes: error.grantedScopes,
        missingScopes: error.missingScopes,
      };
    }
  },
};

window.bearerkitTest = {
  async run(name) {
    show(`> ${name}`);
    const result = await scenarios[name]();
    show(JSON.stringify(result));
    return result;
  },
};
window.bearerkitReady = true;
show(`bearerkit ${VERSION} loaded`);
