/**
 * bearerkit in six steps, against the bundled mock server (no other network).
 * Run: npm run demo   (or: npx tsx examples/demo.ts)
 *
 * Every step checks what it claims against the mock's own counters and exits non-zero,
 * naming the step, when something does not behave as described, so CI can run it.
 */
import { Client, ScopeError, session } from '../src/index.js';
import { OpenProspect } from '../src/services/openprospect/index.js';
import { ScamVerify } from '../src/services/scamverify/index.js';
import { SphereScout, UserProfile } from '../src/services/spherescout/index.js';
import { MOCK_CREDENTIALS, startMockServer, type MockStats } from '../src/testing/index.js';

class DemoFailure extends Error {}

/** Throws a clear message when the demo's claim does not hold. */
function expect(condition: boolean, message: string): void {
  if (!condition) throw new DemoFailure(message);
}

/** A key's public prefix (`sv_test_…`), never the secret part. */
function prefix(key: string): string {
  return `${key.slice(0, key.lastIndexOf('_', 9) + 1)}…`;
}

/** HTTP attempts the mock saw on one route ("METHOD /route") since `since` was taken. */
function attempts(stats: MockStats, route: string, since = 0): number {
  return (stats.byRoute[route] ?? 0) - since;
}

const ms = (start: number): number => Math.round(performance.now() - start);
const sleep = (delay: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, delay));

const creds = MOCK_CREDENTIALS;
const started = performance.now();
const mock = await startMockServer();
const { spherescout: ssMock, session: sessionMock, openprospect: opMock, scamverify: svMock } = mock.apis;
console.log(`Mock server for SphereScout, ScamVerify, OpenProspect and a session-login API on ${mock.url}`);

const steps: Array<[title: string, run: () => Promise<void>]> = [
  [
    'An API key',
    async () => {
      const key = creds.spherescout.apiKey;
      const client = new Client(key, { baseURL: mock.urls.spherescout });
      const profile = await client.get('/api/user/profile', { schema: UserProfile });
      const profileAttempts = attempts(ssMock.stats, 'GET /api/user/profile');
      console.log(`   new Client('${prefix(key)}', { baseURL }).get('/api/user/profile') -> ${profile.email}`);
      expect(profileAttempts === 1, `expected 1 attempt on GET /api/user/profile, the mock saw ${profileAttempts}`);

      const ss = new SphereScout({ apiKey: key, baseURL: mock.urls.spherescout });
      const companies = await ss.companies.list({ countries: 'DE', email: true });
      console.log(`   new SphereScout({ apiKey }).companies.list({ countries: 'DE', email: true }) -> totalCount ${companies.totalCount}`);
      console.log(`   HTTP attempts: ${ssMock.stats.requests} (one per call, the key sent as "Authorization: Bearer …")`);
      expect(companies.totalCount > 0, 'expected companies in DE with an email');
      expect(ssMock.stats.requests === 2, `expected 2 HTTP attempts, the mock saw ${ssMock.stats.requests}`);
    },
  ],
  [
    'JWT login, expiry, silent refresh',
    async () => {
      ssMock.reset();
      const { username, password } = creds.spherescout;
      const ss = new SphereScout({ username, password, baseURL: mock.urls.spherescout });
      const me = await ss.user.profile();
      console.log(`   first call logged in as ${me.username}: logins=${ssMock.stats.logins} refreshes=${ssMock.stats.refreshes}`);
      expect(ssMock.stats.logins === 1, `expected 1 login, the mock saw ${ssMock.stats.logins}`);

      ssMock.expireAccessTokens();
      console.log('   the server expires every access token (expireAccessTokens())');
      const t = performance.now();
      await ss.user.profile();
      const { logins, refreshes } = ssMock.stats;
      const profileAttempts = attempts(ssMock.stats, 'GET /api/user/profile');
      console.log(`   next call succeeded in ${ms(t)} ms: 401 -> POST /api/token/refresh -> replayed`);
      console.log(`   logins=${logins} refreshes=${refreshes}, GET /api/user/profile attempts=${profileAttempts} (1 + 401 + replay)`);
      expect(logins === 1, `expected logins=1 (no second login), got ${logins}`);
      expect(refreshes === 1, `expected refreshes=1, got ${refreshes}`);
      expect(profileAttempts === 3, `expected 3 attempts on GET /api/user/profile, got ${profileAttempts}`);
    },
  ],
  [
    'Session login, renewed before it expires',
    async () => {
      sessionMock.reset();
      sessionMock.tokenLifetimeSec = 3;
      const client = new Client({
        baseURL: mock.urls.session,
        auth: session({ apiKey: creds.session.apiKey, refreshSkew: 2000 }),
      });
      type Me = { expires_in: number };
      const issued = performance.now();
      await client.get('/v1/me');
      console.log(`   login #1 issued a ${sessionMock.tokenLifetimeSec} s token; refreshSkew: 2000 ms has the client renew it ahead of expiry`);

      const t = performance.now();
      await sleep(2200);
      const left = 3000 - ms(issued);
      const second = (await client.get('/v1/me')) as Me;
      const { logins } = sessionMock.stats;
      const meAttempts = attempts(sessionMock.stats, 'GET /v1/me');
      const [a, b] = sessionMock.log.filter((entry) => entry.path === '/v1/me').map((entry) => entry.authorization);
      console.log(`   ${ms(t)} ms later, with about ${left} ms left on it, the client logged in again before sending`);
      console.log(`   logins=${logins}, GET /v1/me attempts=${meAttempts} for 2 calls: no 401, nothing replayed`);
      console.log(`   the second call used a new token, valid for ${second.expires_in} s more`);
      expect(logins === 2, `expected 2 logins (1 proactive renewal), got ${logins}`);
      expect(meAttempts === 2, `expected 2 attempts on GET /v1/me (no 401), got ${meAttempts}`);
      expect(a !== undefined && b !== undefined && a !== b, 'expected the second call to send a different token');
    },
  ],
  [
    'A 429 waited out',
    async () => {
      const ss = new SphereScout({ apiKey: creds.spherescout.apiKey, baseURL: mock.urls.spherescout });
      const before = attempts(ssMock.stats, 'GET /api/companies');
      ssMock.failNext(1, { status: 429, headers: { 'Retry-After': '1' }, path: '/api/companies' });
      console.log("   the next GET /api/companies answers 429 with 'Retry-After: 1'");
      const t = performance.now();
      const companies = await ss.companies.list({ countries: 'US' });
      const waited = ms(t);
      const tries = attempts(ssMock.stats, 'GET /api/companies', before);
      console.log(`   companies.list() resolved after ${waited} ms (totalCount ${companies.totalCount}), attempts=${tries}`);
      expect(tries === 2, `expected 2 attempts (429, then success), got ${tries}`);
      expect(waited >= 950, `expected a wait of about 1000 ms, measured ${waited} ms`);
      expect(waited < 3000, `expected a wait of about 1000 ms, measured ${waited} ms`);
    },
  ],
  [
    'A 403 caught as ScopeError',
    async () => {
      const key = creds.openprospect.readOnlyKey;
      const op = new OpenProspect(key, { baseURL: mock.urls.openprospect });
      const { total } = await op.orders.list({ limit: 10 });
      console.log(`   read-only key ${prefix(key)}: orders.list() -> ${total} orders`);
      let caught: unknown;
      try {
        await op.orders.create({ title: 'Demo order', features: ['CONTACTS'], companies: [{ company_name: 'Example Corp' }] });
      } catch (error) {
        caught = error;
      }
      expect(caught instanceof ScopeError, `expected a ScopeError from orders.create(), got ${String(caught)}`);
      const error = caught as ScopeError;
      const tries = attempts(opMock.stats, 'POST /orders');
      console.log(`   orders.create() -> ${error.name}: ${error.status} ${error.code}, attempts=${tries} (a 403 is not retried)`);
      console.log(`   required=[${error.requiredScopes.join(', ')}] granted=[${error.grantedScopes.join(', ')}] missing=[${error.missingScopes.join(', ')}]`);
      expect(error.missingScopes.includes('orders:write'), 'expected orders:write among the missing scopes');
      expect(tries === 1, `expected 1 attempt on POST /orders, got ${tries}`);
    },
  ],
  [
    'A ScamVerify phone lookup',
    async () => {
      const key = creds.scamverify.testKey;
      const sv = new ScamVerify(key, { baseURL: mock.urls.scamverify });
      const result = await sv.phone.lookup({ phone_number: '+12025551234' });
      console.log(`   ${prefix(key)} key: +12025551234 -> verdict ${result.verdict}, risk_score ${result.risk_score}, test_mode ${String(result.test_mode)}`);
      expect(typeof result.verdict === 'string', 'expected a verdict');
      expect(result.test_mode === true, 'expected test_mode=true for an sv_test_ key');
      expect(svMock.stats.requests === 1, `expected 1 attempt, got ${svMock.stats.requests}`);
    },
  ],
];

let current = '';
try {
  for (const [index, [title, run]] of steps.entries()) {
    current = `step ${index + 1} (${title})`;
    const t = performance.now();
    console.log(`\n${index + 1}. ${title}`);
    await run();
    console.log(`   ok (${ms(t)} ms)`);
  }
  console.log(`\nAll ${steps.length} steps behaved as described, in ${ms(started)} ms.`);
} catch (error) {
  const what = error instanceof DemoFailure ? error.message : `unexpected ${String(error)}`;
  console.error(`\nDEMO FAILED at ${current}: ${what}`);
  process.exitCode = 1;
} finally {
  await mock.close();
}
