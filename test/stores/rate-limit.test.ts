/**
 * A 429's Retry-After shared through a store: the pipeline asks the strategy's `notBefore()` (a
 * local, synchronous read) before each attempt. Logins and refreshes are never held back by it.
 */
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { Client, RateLimitError, apiKey, jwt, memoryStore } from '../../src/index.js';
import { MOCK_CREDENTIALS } from '../../src/testing/index.js';
import { rejection, useMockApis } from '../helpers.js';

const { apis, server } = useMockApis();

const OP = 'https://api.openprospect.io/api/v1';
const KEY = MOCK_CREDENTIALS.openprospect.apiKey;

/** When each request reached the mock (ms since `t0`). */
function arrivals(api: { log: { push: (...items: never[]) => number } }) {
  const t0 = Date.now();
  const times: number[] = [];
  const push = api.log.push.bind(api.log);
  api.log.push = (...items: never[]) => {
    for (const _ of items) times.push(Date.now() - t0);
    return push(...items);
  };
  return { times, restore: () => (api.log.push = push) };
}

describe('a shared rate limit', () => {
  it("one client's 429 holds back every client sharing the store until Retry-After", async () => {
    const store = memoryStore();
    const a = new Client({ baseURL: OP, auth: apiKey(KEY, { store }) });
    const b = new Client({ baseURL: OP, auth: apiKey(KEY, { store }) });
    await Promise.all([a.get('/orders'), b.get('/orders')]); // both bound to the store key
    const seen = arrivals(apis.openprospect);
    apis.openprospect.failNext(1, { status: 429, headers: { 'retry-after-ms': '400' } });
    const first = a.get('/orders'); // 429 -> waits 400 ms, retried
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await b.get('/orders'); // must not be sent before the 400 ms are over
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await first;
    seen.restore();
    expect(seen.times).toHaveLength(3);
    expect(seen.times[1]).toBeGreaterThanOrEqual(390);
    expect(seen.times[2]).toBeGreaterThanOrEqual(390);
  });

  it('a pause longer than maxRetryDelay: RateLimitError at once, with retryAfter, nothing sent', async () => {
    const store = memoryStore();
    const auth = apiKey(KEY, { store });
    const c = new Client({ baseURL: OP, auth, maxRetryDelay: 1_000 });
    await c.get('/orders');
    auth.rateLimited?.(Date.now() + 30_000);
    const before = apis.openprospect.stats.requests;
    const started = Date.now();
    const error = await rejection(c.get('/orders'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfter).toBeGreaterThan(29_000);
    expect(Date.now() - started).toBeLessThan(200);
    expect(apis.openprospect.stats.requests).toBe(before);
  });

  it('a login is never queued behind the pause (only the data request waits)', async () => {
    const store = memoryStore();
    const { username, password } = MOCK_CREDENTIALS.spherescout;
    // An explicit key: the pause can be recorded before this client ever asked for a token.
    const auth = jwt({ username, password, store, key: 'spherescout-demo' });
    const c = new Client({ baseURL: 'https://www.spherescout.io', auth });
    const loginAt: number[] = [];
    const dataAt: number[] = [];
    const t0 = Date.now();
    const note = (into: number[]) => () => {
      into.push(Date.now() - t0);
      return undefined; // fall through to the mock's own handler
    };
    server.use(
      http.post('https://www.spherescout.io/api/auth/login', note(loginAt)),
      http.get('https://www.spherescout.io/api/user/profile', note(dataAt)),
    );
    auth.rateLimited?.(t0 + 300);
    await c.get('/api/user/profile');
    // The login went out at once; the data request waited for the pause.
    expect(loginAt).toHaveLength(1);
    expect(loginAt[0]).toBeLessThan(150);
    expect(dataAt).toHaveLength(1);
    expect(dataAt[0]).toBeGreaterThanOrEqual(295);
    expect(apis.spherescout.stats.logins).toBe(1);
  });

  it('without a store, nothing is shared: another client is not held back', async () => {
    const a = new Client({ baseURL: OP, auth: apiKey(KEY) });
    const b = new Client({ baseURL: OP, auth: apiKey(KEY) });
    apis.openprospect.failNext(1, { status: 429, headers: { 'retry-after-ms': '400' } });
    const first = a.get('/orders');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await b.get('/orders');
    expect(Date.now() - started).toBeLessThan(300);
    await first;
  });
});
