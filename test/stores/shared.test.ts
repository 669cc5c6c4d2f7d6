/**
 * The shared renewal rules with a store, in one process (memoryStore and a store wrapper that
 * counts and can fail): what is adopted, what is renewed, which refresh token is sent, what is
 * written, and that no secret becomes a key. The multi-process and two-tab versions are in test/fleet.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  ConfigurationError,
  CredentialStoreError,
  apiKey,
  jwt,
  memoryStore,
  session,
  type CredentialStore,
  type StoredCredential,
} from '../../src/index.js';
import { MOCK_CREDENTIALS, createMockApis } from '../../src/testing/index.js';
import { rejection } from '../helpers.js';

const apis = createMockApis();
const server = setupServer(...apis.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => apis.reset());
afterAll(() => server.close());

const SS = 'https://www.spherescout.io';
const { username, password } = MOCK_CREDENTIALS.spherescout;

/** A store that records every call and can be told to fail. */
function recording(inner: CredentialStore = memoryStore()) {
  const calls: string[] = [];
  const keys = new Set<string>();
  const written: StoredCredential[] = [];
  let failing = false;
  const guard = (what: string, key: string) => {
    calls.push(what);
    keys.add(key);
    if (failing) throw new CredentialStoreError(`store down (${what})`);
  };
  const store: CredentialStore = {
    async get(key) {
      guard('get', key);
      return inner.get(key);
    },
    async set(key, value) {
      guard('set', key);
      written.push({ ...value });
      return inner.set(key, value);
    },
    exclusive(key, renew, adopt) {
      calls.push('exclusive');
      return inner.exclusive(key, renew, adopt);
    },
    notBefore: (key) => inner.notBefore(key),
    rateLimited(key, until) {
      calls.push('rateLimited');
      keys.add(key);
      inner.rateLimited(key, until);
    },
  };
  return { store, calls, keys, written, fail: (on: boolean) => (failing = on) };
}

describe('strategies with a store', () => {
  it('two clients on one memoryStore: one login, one refresh, and the hot path never asks the store', async () => {
    const rec = recording();
    const a = new Client({ baseURL: SS, auth: jwt({ username, password, store: rec.store }) });
    const b = new Client({ baseURL: SS, auth: jwt({ username, password, store: rec.store }) });
    await Promise.all([...Array.from({ length: 10 }, () => a.get('/api/user/profile')), ...Array.from({ length: 10 }, () => b.get('/api/user/profile'))]);
    expect(apis.spherescout.stats.logins).toBe(1);
    const after = rec.calls.length;
    await Promise.all(Array.from({ length: 20 }, () => a.get('/api/user/profile')));
    expect(rec.calls.length).toBe(after); // valid token: no store call at all
    apis.spherescout.expireAccessTokens();
    await Promise.all([a.get('/api/user/profile'), b.get('/api/user/profile')]);
    expect(apis.spherescout.stats.refreshes).toBe(1);
    expect(apis.spherescout.stats.logins).toBe(1);
    expect(rec.written.map((w) => w.version)).toEqual([1, 2]);
  });

  it('the refresh token sent is always the newest stored one, never one rotated away', async () => {
    const store = memoryStore();
    const a = new Client({ baseURL: SS, auth: jwt({ username, password, store }) });
    const b = new Client({ baseURL: SS, auth: jwt({ username, password, store }) });
    await a.get('/api/user/profile');
    await b.get('/api/user/profile'); // adopts a's tokens
    for (let round = 0; round < 4; round++) {
      apis.spherescout.expireAccessTokens();
      // Whichever takes the lease refreshes (rotating the refresh token); the other adopts.
      await Promise.all([a.get('/api/user/profile'), b.get('/api/user/profile')]);
    }
    // The mock rejects a reused refresh token: a stale one would have forced a second login.
    expect(apis.spherescout.stats.logins).toBe(1);
    expect(apis.spherescout.stats.refreshes).toBe(4);
    const sent = apis.spherescout.log.filter((l) => l.path === '/api/token/refresh').map((l) => (l.body as { refresh: string }).refresh);
    expect(new Set(sent).size).toBe(4);
  });

  it('an older stored credential is never adopted over a newer local one', async () => {
    const rec = recording();
    const c = new Client({ baseURL: SS, auth: jwt({ username, password, store: rec.store }) });
    await c.get('/api/user/profile'); // v1 stored
    rec.fail(true);
    apis.spherescout.expireAccessTokens();
    // The refresh works (local tokens now v2, refresh token rotated) but the write fails: a clear error.
    const error = await rejection(c.get('/api/user/profile'));
    expect(error).toBeInstanceOf(CredentialStoreError);
    rec.fail(false);
    // Local v2 is valid: the hot path uses it without the store.
    await c.get('/api/user/profile');
    apis.spherescout.expireAccessTokens();
    // Store still holds v1 (whose refresh token was rotated away): not adopted, and the local,
    // newer refresh token is the one sent: no 401, no login.
    await c.get('/api/user/profile');
    expect(apis.spherescout.stats.logins).toBe(1);
    expect(apis.spherescout.stats.refreshes).toBe(2);
    expect(rec.written.at(-1)?.version).toBe(3);
  });

  it('a lease wait is bounded: CredentialStoreError once waitMs is over', async () => {
    const store = memoryStore({ waitMs: 50 });
    let release: () => void = () => undefined;
    const holding = store.exclusive('k', () => new Promise<string>((resolve) => (release = () => resolve('held'))), async () => undefined);
    const started = Date.now();
    const error = await rejection(store.exclusive('k', async () => 'second', async () => undefined));
    expect(error).toBeInstanceOf(CredentialStoreError);
    expect(error.message).toMatch(/Gave up after 50 ms/);
    expect(Date.now() - started).toBeLessThan(1_000);
    release();
    await expect(holding).resolves.toBe('held');
    await expect(store.exclusive('k', async () => 'free again', async () => undefined)).resolves.toBe('free again');
  });

  it('a waiter adopts what the lease holder wrote instead of renewing', async () => {
    const store = memoryStore();
    let renewals = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = store.exclusive(
      'k',
      async () => {
        renewals++;
        await gate;
        await store.set('k', { access: 'new', version: 1 });
        return 'new';
      },
      async () => undefined,
    );
    const second = store.exclusive(
      'k',
      async () => {
        renewals++;
        return 'renewed again';
      },
      async () => (await store.get('k'))?.access,
    );
    release();
    await expect(Promise.all([first, second])).resolves.toEqual(['new', 'new']);
    expect(renewals).toBe(1);
  });

  it('session() shares its token: a second client adopts it with no login', async () => {
    const store = memoryStore();
    const make = () =>
      new Client({ baseURL: 'https://session.bearerkit.test', auth: session({ apiKey: MOCK_CREDENTIALS.session.apiKey, sessionId: 's', store }) });
    await make().get('/v1/me');
    await make().get('/v1/me');
    expect(apis.session.stats.logins).toBe(1);
  });

  it('keys are hashes: no username, password, API key or token appears in a store key', async () => {
    const rec = recording();
    const c = new Client({ baseURL: SS, auth: jwt({ username, password, store: rec.store }) });
    await c.get('/api/user/profile');
    const key = MOCK_CREDENTIALS.openprospect.apiKey;
    const op = apiKey(key, { store: rec.store });
    // What the client does: token() binds the key to its baseURL, a 429 reports the pause.
    expect(op.token({ baseURL: 'https://api.openprospect.io/api/v1', post: async () => undefined })).toBe(key);
    await new Promise((resolve) => setTimeout(resolve, 10));
    op.rateLimited?.(Date.now() + 1_000);
    expect(op.notBefore?.()).toBeGreaterThan(Date.now());
    const keys = [...rec.keys];
    expect(keys).toHaveLength(2);
    for (const k of keys) {
      expect(k).toMatch(/^(jwt|apikey):[0-9a-f]{64}$/);
      for (const secret of [username, password, key]) expect(k).not.toContain(secret);
    }
    // An API key shares its rate limit only: no token was written for it.
    expect(rec.written).toHaveLength(1);
    expect(rec.written[0]?.access).not.toBe(key);
  });

  it('without a store nothing changes: no rate-limit hooks, and options are checked', () => {
    const plain = jwt({ username, password });
    expect(plain.notBefore).toBeUndefined();
    expect(plain.rateLimited).toBeUndefined();
    expect(apiKey('k').notBefore).toBeUndefined();
    expect(jwt({ username, password, store: memoryStore() }).notBefore).toBeTypeOf('function');
    expect(() => jwt({ tokens: { access: 'a', refresh: 'r' }, store: memoryStore() })).toThrow(ConfigurationError);
    expect(() => jwt({ tokens: { access: 'a', refresh: 'r' }, store: memoryStore(), key: 'mine' })).not.toThrow();
    expect(() => jwt({ username, password, store: memoryStore(), key: '' })).toThrow(ConfigurationError);
  });
});
