/**
 * A fleet of worker processes sharing one credential through `redisStore()` on a real
 * `redis-server` (started here on a free 127.0.0.1 port, stopped after). Every figure is counted
 * at the mock (logins, refreshes, requests), so each assertion can fail.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, CredentialStoreError, jwt } from '../../src/index.js';
import { redisStore } from '../../src/stores/redis.js';
import { MOCK_CREDENTIALS, type MockServer, startMockServer } from '../../src/testing/index.js';
import { rejection } from '../helpers.js';
import { type Fleet, type FleetWorker, startFleet, total } from './harness.js';
import { type RedisServer, startRedis } from './redis-server.js';

const SS_SECRETS = { FLEET_USERNAME: MOCK_CREDENTIALS.spherescout.username, FLEET_PASSWORD: MOCK_CREDENTIALS.spherescout.password };
const OP_SECRETS = { FLEET_API_KEY: MOCK_CREDENTIALS.openprospect.apiKey };
const PROCESSES = 8;
const CALLS = 50;

let redis: RedisServer;
let admin: Redis;
let mock: MockServer;
const fleets: Fleet[] = [];

beforeAll(async () => {
  redis = await startRedis();
  admin = await redis.connect();
  mock = await startMockServer();
});
afterAll(async () => {
  await Promise.all(fleets.map((f) => f.stop()));
  admin?.disconnect();
  await mock?.close();
  await redis?.stop();
});
beforeEach(async () => {
  await admin.flushall();
  mock.apis.reset();
});

async function fleet(count: number, config: Parameters<typeof startFleet>[1], secrets: Record<string, string>): Promise<Fleet> {
  const f = await startFleet(count, config, secrets);
  fleets.push(f);
  return f;
}

function figure(line: string): void {
  console.log(`[fleet] ${line}`);
}

/** Every key and value in Redis: none may hold a password, username or API key (tokens as values are the point). */
async function expectNoSecretInRedis(): Promise<number> {
  const secrets = [
    MOCK_CREDENTIALS.spherescout.password,
    MOCK_CREDENTIALS.spherescout.username,
    MOCK_CREDENTIALS.openprospect.apiKey,
    MOCK_CREDENTIALS.spherescout.apiKey,
  ];
  const keys = await admin.keys('*');
  for (const key of keys) {
    const type = await admin.type(key);
    const value = type === 'string' ? ((await admin.get(key)) ?? '') : '';
    for (const secret of secrets) {
      expect(key).not.toContain(secret);
      expect(value).not.toContain(secret);
    }
  }
  return keys.length;
}

/** The one credential stored in Redis (its version counts the writes: 1 login + each refresh). */
async function storedCredential(): Promise<{ version: number; refresh?: string }> {
  const keys = await admin.keys('bearerkit:*:tokens');
  expect(keys).toHaveLength(1);
  return JSON.parse((await admin.get(keys[0]!)) ?? 'null') as { version: number; refresh?: string };
}

describe('redisStore() across processes', () => {
  it(`${PROCESSES} processes x ${CALLS} concurrent calls: 1 login cold, 1 refresh for an expired shared token (vs ${PROCESSES} and ${PROCESSES} without the store)`, async () => {
    const ss = mock.apis.spherescout;
    const config = { api: 'spherescout' as const, baseURL: mock.urls.spherescout, path: '/api/user/profile' };

    // Without a store: each process on its own.
    const alone = await fleet(PROCESSES, config, SS_SECRETS);
    const aloneCold = total(await alone.run({ calls: CALLS, concurrency: CALLS }));
    const aloneLogins = ss.stats.logins;
    ss.expireAccessTokens();
    const aloneExpired = total(await alone.run({ calls: CALLS, concurrency: CALLS }));
    const aloneRefreshes = ss.stats.refreshes;
    await alone.stop();
    expect(aloneCold.ok + aloneExpired.ok).toBe(2 * PROCESSES * CALLS);
    expect(aloneLogins).toBe(PROCESSES);
    expect(aloneRefreshes).toBe(PROCESSES);

    // With the Redis store: one credential for the fleet.
    mock.apis.reset();
    const sharing = await fleet(PROCESSES, { ...config, redisPort: redis.port }, SS_SECRETS);
    const cold = total(await sharing.run({ calls: CALLS, concurrency: CALLS }));
    expect(cold).toMatchObject({ ok: PROCESSES * CALLS, failed: 0, attempts: PROCESSES * CALLS });
    expect(ss.stats.logins).toBe(1);
    expect(ss.stats.refreshes).toBe(0);

    ss.expireAccessTokens();
    const expired = total(await sharing.run({ calls: CALLS, concurrency: CALLS }));
    // Every call: one 401 with the expired token, one replay with the new one.
    expect(expired).toMatchObject({ ok: PROCESSES * CALLS, failed: 0, attempts: 2 * PROCESSES * CALLS });
    expect(ss.stats.logins).toBe(1);
    expect(ss.stats.refreshes).toBe(1);
    expect((await storedCredential()).version).toBe(2);
    expect(await expectNoSecretInRedis()).toBeGreaterThanOrEqual(1);
    await sharing.stop();

    figure(`${PROCESSES} processes x ${CALLS} concurrent calls, cold start:     logins without store ${aloneLogins}, with redisStore ${1}`);
    figure(`${PROCESSES} processes x ${CALLS} concurrent calls, expired token: refreshes without store ${aloneRefreshes}, with redisStore ${1}`);
  });

  it('SIGKILL of the process renewing mid-refresh: after its lease expires another one finishes the renewal', async () => {
    const ss = mock.apis.spherescout;
    const LEASE = 1_500;
    const f = await fleet(
      3,
      { api: 'spherescout', baseURL: mock.urls.spherescout, path: '/api/user/profile', redisPort: redis.port, leaseMs: LEASE, waitMs: 20_000 },
      SS_SECRETS,
    );
    await f.run({ calls: 1, concurrency: 1 });
    expect(ss.stats.logins).toBe(1);
    const before = await storedCredential();

    ss.expireAccessTokens();
    // The first refresh hangs (and would answer 503): the server never acts on it.
    ss.failNext(1, { path: '/api/token/refresh', delayMs: 60_000, status: 503 });
    let killed: FleetWorker | undefined;
    let killedAt = 0;
    f.onAuth((worker, path) => {
      if (killed !== undefined || path !== '/api/token/refresh') return;
      killed = worker;
      // Kill it once the server holds its refresh (only the lease holder refreshes), not before it arrived.
      const poll = setInterval(() => {
        if (ss.pendingFaults > 0) return;
        clearInterval(poll);
        killedAt = Date.now();
        worker.child.kill('SIGKILL');
      }, 2);
    });
    const outcomes = await Promise.all(
      f.workers.map((w) =>
        w.run({ calls: 10, concurrency: 10 }).then(
          (result) => ({ id: w.id, result, at: Date.now() }),
          (error: Error) => ({ id: w.id, error, at: Date.now() }),
        ),
      ),
    );
    expect(killed).toBeDefined();
    expect((await killed!.exited).signal).toBe('SIGKILL');
    const survivors = outcomes.filter((o) => o.id !== killed!.id);
    expect(survivors).toHaveLength(2);
    for (const s of survivors) expect('result' in s && s.result).toMatchObject({ ok: 10, failures: {} });
    const waited = Math.min(...survivors.map((s) => s.at)) - killedAt;
    // The dead holder's lease had to run out first (it was last extended at most LEASE/3 before the kill).
    expect(waited).toBeGreaterThanOrEqual(LEASE - LEASE / 3 - 100);
    expect(waited).toBeLessThan(10_000);
    // One hung refresh (never processed), one that worked; no login; both sent the same, still valid, refresh token.
    expect(ss.stats.refreshes).toBe(2);
    expect(ss.stats.logins).toBe(1);
    const sent = ss.log.filter((l) => l.path === '/api/token/refresh').map((l) => (l.body as { refresh: string }).refresh);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBe(sent[1]);
    const after = await storedCredential();
    expect(after.version).toBe(before.version + 1);
    expect(after.refresh).not.toBe(before.refresh);
    figure(`SIGKILL mid-refresh: survivors finished ${waited} ms after the kill (lease ${LEASE} ms); refreshes sent 2 (1 hung + 1), logins 0`);
    await f.stop();
  });

  it('rotating refresh tokens under contention: never a reused (stale) refresh token, no fallback login', async () => {
    const ss = mock.apis.spherescout;
    ss.accessTokenLifetimeMs = 2_000;
    const f = await fleet(
      PROCESSES,
      { api: 'spherescout', baseURL: mock.urls.spherescout, path: '/api/user/profile', redisPort: redis.port, refreshSkew: 1_000 },
      SS_SECRETS,
    );
    const results = total(await f.run({ concurrency: 4, durationMs: 6_000 }));
    expect(results.failures).toEqual({});
    expect(results.ok).toBeGreaterThan(100);
    // A rejected (reused) refresh token would have forced a login: there is only the first one.
    expect(ss.stats.logins).toBe(1);
    expect(ss.stats.refreshes).toBeGreaterThanOrEqual(3);
    const sent = ss.log.filter((l) => l.path === '/api/token/refresh').map((l) => (l.body as { refresh: string }).refresh);
    expect(sent).toHaveLength(ss.stats.refreshes);
    expect(new Set(sent).size).toBe(sent.length);
    // Every refresh the server saw is one write to the store, and no other write happened.
    expect((await storedCredential()).version).toBe(1 + ss.stats.refreshes);
    figure(
      `rotation: ${PROCESSES} processes, ${results.ok} calls over 6 s, 2 s tokens: ${ss.stats.refreshes} refreshes (each refresh token sent once), 1 login`,
    );
    await f.stop();
  });

  it('a 429 seen by one process pauses every process until its Retry-After', async () => {
    const op = mock.apis.openprospect;
    const RETRY_MS = 3_000;
    /** When the server answered the 429 (it is the first request after failNext). */
    let answeredAt = 0;
    const push = op.log.push.bind(op.log);
    let armed = false;
    op.log.push = (...items) => {
      if (armed) {
        armed = false;
        answeredAt = Date.now();
      }
      return push(...items);
    };
    try {
      const measure = async (redisPort: number | undefined): Promise<{ during: number; ok: number; failed: number }> => {
        op.reset();
        const f = await fleet(PROCESSES, { api: 'openprospect', baseURL: mock.urls.openprospect, path: '/orders', redisPort }, OP_SECRETS);
        const running = f.run({ concurrency: 2, durationMs: 5_000, record: true });
        await new Promise((resolve) => setTimeout(resolve, 800));
        armed = true;
        op.failNext(1, { status: 429, headers: { 'retry-after-ms': String(RETRY_MS) } });
        const results = await running;
        await f.stop();
        await expectNoSecretInRedis();
        const sent = results.flatMap((r) => r.sent ?? []);
        // Sent (by any process, at its fetch) after the pause was announced and before it ended.
        // 500 ms covers the 429 reaching its process and the announcement (pub/sub) reaching the
        // others on a loaded two-core machine; the window left is 2.45 s of a 3 s pause.
        const during = sent.filter((t) => t >= answeredAt + 500 && t < answeredAt + RETRY_MS - 50).length;
        const totals = total(results);
        return { during, ok: totals.ok, failed: totals.failed };
      };
      const alone = await measure(undefined);
      const shared = await measure(redis.port);
      expect(alone.failed).toBe(0);
      expect(alone.during).toBeGreaterThan(20);
      expect(shared.failed).toBe(0);
      expect(shared.ok).toBeGreaterThan(50);
      expect(shared.during).toBe(0);
      figure(
        `429 (Retry-After ${RETRY_MS} ms) seen by 1 of ${PROCESSES} processes: requests sent during the pause: without store ${alone.during}, with redisStore ${shared.during}`,
      );
    } finally {
      op.log.push = push;
    }
  });
});

describe('redisStore() when Redis goes away', () => {
  it('a Redis that stops answering: bounded by commandTimeoutMs, then fails fast; fallback: true keeps calls working', async () => {
    const ss = mock.apis.spherescout;
    const { username, password } = MOCK_CREDENTIALS.spherescout;
    const connections: Redis[] = [];
    const make = async (fallback: boolean) => {
      const connection = await redis.connect();
      connections.push(connection);
      const store = redisStore({ client: connection, fallback, commandTimeoutMs: 300, prefix: 'hang:' });
      return { store, client: new Client({ baseURL: mock.urls.spherescout, auth: jwt({ username, password, store }) }) };
    };
    try {
      const strict = await make(false);
      const lenient = await make(true);
      await Promise.all([strict.client.get('/api/user/profile'), lenient.client.get('/api/user/profile')]);
      ss.expireAccessTokens();
      await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
      let started = Date.now();
      const error = await rejection(strict.client.get('/api/user/profile'));
      const first = Date.now() - started;
      expect(error).toBeInstanceOf(CredentialStoreError);
      expect(error.message).toMatch(/no answer within 300 ms/);
      expect(first).toBeLessThan(1_000);
      // Within the fail-fast window the next call does not wait for Redis again.
      started = Date.now();
      expect(await rejection(strict.client.get('/api/user/profile'))).toBeInstanceOf(CredentialStoreError);
      expect(Date.now() - started).toBeLessThan(100);
      started = Date.now();
      await lenient.client.get('/api/user/profile'); // renews on its own
      expect(Date.now() - started).toBeLessThan(1_500);
      figure(`Redis not answering: strict store -> CredentialStoreError after ${first} ms (commandTimeoutMs 300), then at once; fallback store -> call succeeds`);
      await strict.store.close();
      await lenient.store.close();
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      for (const c of connections) c.disconnect();
    }
  });

  it('a clear CredentialStoreError by default; per-process renewals with fallback: true; shared again once Redis is back', async () => {
    const own = await startRedis();
    const ss = mock.apis.spherescout;
    const { username, password } = MOCK_CREDENTIALS.spherescout;
    const connections: Redis[] = [];
    const make = async (fallback: boolean) => {
      const connection = await own.connect({ maxRetriesPerRequest: 1 });
      connections.push(connection);
      const store = redisStore({ client: connection, fallback, commandTimeoutMs: 1_000 });
      return { store, client: new Client({ baseURL: mock.urls.spherescout, auth: jwt({ username, password, store }) }) };
    };
    try {
      const strict = [await make(false), await make(false)];
      const lenient = [await make(true), await make(true)];
      const all = [...strict, ...lenient];
      await Promise.all(all.map((p) => p.client.get('/api/user/profile')));
      expect(ss.stats.logins).toBe(1);

      await own.stop();
      // A valid token needs no store: the hot path goes on without Redis.
      await Promise.all(all.map((p) => p.client.get('/api/user/profile')));
      ss.expireAccessTokens();
      const started = Date.now();
      const error = await rejection(strict[0]!.client.get('/api/user/profile'));
      expect(error).toBeInstanceOf(CredentialStoreError);
      expect(error.message).toMatch(/^Redis credential store unavailable \(/);
      expect(Date.now() - started).toBeLessThan(3_000);

      const renewals = ss.stats.logins + ss.stats.refreshes;
      await Promise.all(lenient.map((p) => p.client.get('/api/user/profile')));
      // Per-process: each one renewed on its own (the second refresh token use is rejected: it logs in).
      expect(ss.stats.logins + ss.stats.refreshes - renewals).toBeGreaterThanOrEqual(2);

      // Redis back on the same port (empty: no persistence): the fleet shares again.
      const back = await startRedis(own.port);
      try {
        const deadline = Date.now() + 10_000;
        while (connections.some((c) => c.status !== 'ready') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        ss.expireAccessTokens();
        const before = ss.stats.logins + ss.stats.refreshes;
        await Promise.all(lenient.map((p) => p.client.get('/api/user/profile')));
        expect(ss.stats.logins + ss.stats.refreshes - before).toBe(1);
        figure(`Redis stopped: strict store -> ${error.name} in ${Date.now() - started < 3000 ? '< 3 s' : 'too long'}; fallback store -> calls succeed, renewing per process; Redis back -> 1 shared renewal`);
      } finally {
        await back.stop();
      }
      for (const p of all) await p.store.close();
    } finally {
      for (const c of connections) c.disconnect();
      await own.stop();
    }
  });
});
