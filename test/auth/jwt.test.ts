import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  AuthenticationError,
  Client,
  ConfigurationError,
  InternalServerError,
  RateLimitError,
  ResponseValidationError,
  jwt,
  type TokenPair,
} from '../../src/index.js';
import { jwtExpiry } from '../../src/auth/jwt.js';
import { BASE, fakeJwt, json, rejection, status, useScriptedServer } from '../helpers.js';

const { script } = useScriptedServer();

/** A protected route that accepts exactly the tokens in `valid`. */
function protectedRoute(valid: Set<string>) {
  return script('/data', [
    (request) => {
      const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
      return valid.has(token) ? json({ ok: true }) : json({ detail: 'Given token not valid for any token type', code: 'token_not_valid' }, 401);
    },
  ]);
}

function makeClient(options: Parameters<typeof jwt>[0] = { username: 'u@example.com', password: 'pw-secret' }) {
  return new Client({ baseURL: BASE, auth: jwt(options) });
}

describe('jwt()', () => {
  it('logs in lazily, once, and sends the access token', async () => {
    const access = fakeJwt(600_000);
    const valid = new Set([access]);
    const logins = script('/api/auth/login', [json({ access, refresh: 'r1', user: { id: 1 } })]);
    const data = protectedRoute(valid);
    const c = makeClient();
    expect(logins).toHaveLength(0);
    await c.get('/data');
    await c.get('/data');
    expect(logins).toHaveLength(1);
    expect(JSON.parse(logins[0]?.body ?? '')).toEqual({ username: 'u@example.com', password: 'pw-secret' });
    expect(logins[0]?.headers.get('authorization')).toBeNull();
    expect(data.map((s) => s.headers.get('authorization'))).toEqual([`Bearer ${access}`, `Bearer ${access}`]);
  });

  it('on 401 refreshes once, keeps the rotated refresh token, and replays once', async () => {
    const a1 = fakeJwt(600_000, 'a1');
    const a2 = fakeJwt(600_000, 'a2');
    const valid = new Set([a1]);
    const stored: TokenPair[] = [];
    script('/api/auth/login', [json({ access: a1, refresh: 'r1' })]);
    const refreshes = script('/api/token/refresh', [json({ access: a2, refresh: 'r2' })]);
    const data = protectedRoute(valid);
    const c = makeClient({ username: 'u', password: 'p', onTokens: (t) => void stored.push(t) });
    await c.get('/data');
    valid.clear();
    valid.add(a2);
    await expect(c.get('/data')).resolves.toEqual({ ok: true });
    expect(refreshes).toHaveLength(1);
    expect(JSON.parse(refreshes[0]?.body ?? '')).toEqual({ refresh: 'r1' });
    expect(data).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stored).toEqual([
      { access: a1, refresh: 'r1' },
      { access: a2, refresh: 'r2' },
    ]);
    // The next refresh uses the rotated token.
    const a3 = fakeJwt(600_000, 'a3');
    valid.clear();
    valid.add(a3);
    script('/api/token/refresh', [json({ access: a3 })]);
    const next = script('/api/token/refresh', [json({ access: a3 })]);
    await c.get('/data');
    expect(JSON.parse(next[0]?.body ?? '')).toEqual({ refresh: 'r2' });
  });

  it('50 concurrent requests with an expired token make exactly one refresh', async () => {
    const a1 = fakeJwt(600_000, 'a1');
    const a2 = fakeJwt(600_000, 'a2');
    const valid = new Set([a1]);
    script('/api/auth/login', [json({ access: a1, refresh: 'r1' })]);
    const refreshes = script('/api/token/refresh', [
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return json({ access: a2, refresh: 'r2' });
      },
    ]);
    const data = protectedRoute(valid);
    const c = makeClient();
    await c.get('/data');
    valid.clear();
    valid.add(a2);
    const results = await Promise.all(Array.from({ length: 50 }, () => c.get('/data')));
    expect(results).toHaveLength(50);
    expect(refreshes).toHaveLength(1);
    // 1 first call + 50 rejected + 50 replays
    expect(data).toHaveLength(101);
  });

  it('a 401 for a token already replaced replays with the new one, without another refresh', async () => {
    const a1 = fakeJwt(600_000, 'a1');
    const a2 = fakeJwt(600_000, 'a2');
    const valid = new Set([a1]);
    script('/api/auth/login', [json({ access: a1, refresh: 'r1' })]);
    const refreshes = script('/api/token/refresh', [json({ access: a2, refresh: 'r2' })]);
    let slowSent: () => void = () => undefined;
    const slowSentP = new Promise<void>((resolve) => (slowSent = resolve));
    let releaseSlow: () => void = () => undefined;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    const slow = script('/slow', [
      async (request) => {
        const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
        if (token === a1) {
          slowSent();
          await slowGate;
        }
        return valid.has(token) ? json({ ok: 'slow' }) : json({ detail: 'expired', code: 'token_not_valid' }, 401);
      },
    ]);
    protectedRoute(valid);
    const c = makeClient();
    await c.get('/data');
    const pending = c.get('/slow'); // sent with a1, answered late
    await slowSentP;
    valid.clear();
    valid.add(a2);
    await c.get('/data'); // 401 -> refresh -> a2
    releaseSlow(); // the slow one now gets its 401 for a1, already replaced
    await expect(pending).resolves.toEqual({ ok: 'slow' });
    expect(refreshes).toHaveLength(1);
    expect(slow.map((s) => s.headers.get('authorization'))).toEqual([`Bearer ${a1}`, `Bearer ${a2}`]);
  });

  it('a failed refresh rejects every waiter with the same error; the next request tries again', async () => {
    const a1 = fakeJwt(600_000, 'a1');
    const a2 = fakeJwt(600_000, 'a2');
    const valid = new Set([a1]);
    script('/api/auth/login', [json({ access: a1, refresh: 'r1' })]);
    const refreshes = script('/api/token/refresh', [
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return json({ detail: 'down' }, 500);
      },
      json({ access: a2, refresh: 'r2' }),
    ]);
    protectedRoute(valid);
    const c = makeClient();
    await c.get('/data');
    valid.clear();
    valid.add(a2);
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => c.get('/data')));
    const reasons = settled.map((s) => (s.status === 'rejected' ? s.reason : undefined));
    expect(reasons.every((r) => r instanceof InternalServerError)).toBe(true);
    expect(new Set(reasons).size).toBe(1);
    expect(refreshes).toHaveLength(1);
    await expect(c.get('/data')).resolves.toEqual({ ok: true });
    expect(refreshes).toHaveLength(2);
  });

  it('logs in again when the refresh call itself answers 401', async () => {
    const a1 = fakeJwt(600_000, 'a1');
    const a2 = fakeJwt(600_000, 'a2');
    const valid = new Set([a1]);
    const logins = script('/api/auth/login', [json({ access: a1, refresh: 'r1' }), json({ access: a2, refresh: 'r2' })]);
    const refreshes = script('/api/token/refresh', [json({ detail: 'Token is invalid or expired', code: 'token_not_valid' }, 401)]);
    protectedRoute(valid);
    const c = makeClient();
    await c.get('/data');
    valid.clear();
    valid.add(a2);
    await expect(c.get('/data')).resolves.toEqual({ ok: true });
    expect(refreshes).toHaveLength(1);
    expect(logins).toHaveLength(2);
  });

  it('a login that fails with 401 is an AuthenticationError, and no request is sent', async () => {
    script('/api/auth/login', [json({ detail: 'No active account found with the given credentials' }, 401)]);
    const data = protectedRoute(new Set());
    const error = await rejection(makeClient().get('/data'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('No active account');
    expect(data).toHaveLength(0);
  });

  it('a login or refresh answered 429 is waited out as Retry-After says and sent again; every waiter gets the one result', async () => {
    const a1 = fakeJwt(600_000, 'a1');
    const a2 = fakeJwt(600_000, 'a2');
    const valid = new Set([a1]);
    const limited = () => json({ detail: 'Request was throttled.' }, 429, { 'retry-after-ms': '30' });
    const logins = script('/api/auth/login', [limited(), json({ access: a1, refresh: 'r1' })]);
    const refreshes = script('/api/token/refresh', [limited(), limited(), json({ access: a2, refresh: 'r2' })]);
    const data = protectedRoute(valid);
    const c = makeClient();
    const started = Date.now();
    const first = await Promise.all(Array.from({ length: 5 }, () => c.get('/data')));
    expect(first).toEqual(Array.from({ length: 5 }, () => ({ ok: true })));
    expect(logins).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    valid.clear();
    valid.add(a2);
    await expect(c.get('/data')).resolves.toEqual({ ok: true });
    expect(refreshes).toHaveLength(3);
    expect(refreshes.map((r) => JSON.parse(r.body))).toEqual([{ refresh: 'r1' }, { refresh: 'r1' }, { refresh: 'r1' }]);
    expect(data).toHaveLength(5 + 2);
  });

  it('a login answered 429 more often than maxRetries allows is a RateLimitError; a 503 or a network error is never resent', async () => {
    const limited = script('/api/auth/login', [json({ detail: 'throttled' }, 429, { 'retry-after-ms': '1' })]);
    const data = protectedRoute(new Set());
    const c = new Client({ baseURL: BASE, maxRetries: 2, auth: jwt({ username: 'u', password: 'p' }) });
    expect(await rejection(c.get('/data'))).toBeInstanceOf(RateLimitError);
    expect(limited).toHaveLength(3);
    expect(data).toHaveLength(0);
  });

  it.each([
    ['503', status(503, { 'retry-after': '0' })],
    ['a network error', 'network' as const],
  ])('a login answered with %s is not sent again (the server may have acted on it)', async (_name, reply) => {
    const logins = script('/api/auth/login', [reply, json({ access: fakeJwt(600_000), refresh: 'r1' })]);
    const data = protectedRoute(new Set());
    const error = await rejection(makeClient().get('/data'));
    expect(error).toBeInstanceOf(reply === 'network' ? APIConnectionError : InternalServerError);
    expect(logins).toHaveLength(1);
    expect(data).toHaveLength(0);
  });

  it('renews ahead of time when exp is within refreshSkew: no 401 seen', async () => {
    const soon = fakeJwt(30_000, 'soon'); // within the default 60 s skew... but skew is capped at half the lifetime
    const fresh = fakeJwt(600_000, 'fresh');
    const valid = new Set([soon, fresh]);
    script('/api/auth/login', [json({ access: soon, refresh: 'r1' })]);
    const refreshes = script('/api/token/refresh', [json({ access: fresh, refresh: 'r2' })]);
    const data = protectedRoute(valid);
    const c = makeClient({ username: 'u', password: 'p', refreshSkew: 40_000 });
    await c.get('/data'); // 30 s left of 30 s: half-life cap (15 s) keeps it
    expect(refreshes).toHaveLength(0);
    const c2 = new Client({
      baseURL: BASE,
      auth: jwt({ tokens: { access: fakeJwt(5_000, 'x'), refresh: 'r0' }, refreshSkew: 60_000 }),
    });
    valid.add(fakeJwt(5_000, 'x'));
    await c2.get('/data'); // a seeded token, lifetime unknown to us: 5 s left < 60 s skew -> renew first
    expect(refreshes).toHaveLength(1);
    expect(data.at(-1)?.headers.get('authorization')).toBe(`Bearer ${fresh}`);
  });

  it('seeded tokens: no login until they fail', async () => {
    const seeded = fakeJwt(600_000, 'seeded');
    const logins = script('/api/auth/login', [json({ access: 'x', refresh: 'y' })]);
    protectedRoute(new Set([seeded]));
    const c = new Client({ baseURL: BASE, auth: jwt({ tokens: { access: seeded, refresh: 'r' } }) });
    await c.get('/data');
    expect(logins).toHaveLength(0);
  });

  it('a login response without `access` is a ResponseValidationError naming the field', async () => {
    script('/api/auth/login', [json({ refresh: 'r1' })]);
    const error = await rejection(makeClient().get('/data'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.message).toContain('`access`');
  });

  it('needs username and password, or tokens', () => {
    expect(() => jwt({ username: 'u' })).toThrow(ConfigurationError);
  });

  it('reads exp from a JWT, and nothing from a non-JWT', () => {
    const t = fakeJwt(60_000);
    expect(jwtExpiry(t)).toBeGreaterThan(Date.now());
    expect(jwtExpiry('not-a-jwt')).toBeUndefined();
    expect(jwtExpiry('a.b.c')).toBeUndefined();
  });
});
