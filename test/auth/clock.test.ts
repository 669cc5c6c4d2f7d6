/**
 * Clock and expiry: whatever `exp`, `iat` or `expires_in` a server sends, and however far its
 * clock is from ours, renewal neither loops (a login per call) nor stops (a 401 still renews).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Client, jwt, session } from '../../src/index.js';
import { BASE, json, useScriptedServer } from '../helpers.js';

const { script } = useScriptedServer();
afterEach(() => vi.useRealTimers());

const enc = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
let serial = 0;
/** A JWT with the given claims (epoch seconds); `undefined` claims are left out. */
const token = (claims: { exp?: number; iat?: number }) => `${enc({ alg: 'HS256' })}.${enc({ ...claims, jti: ++serial })}.sig`;
const nowS = () => Math.floor(Date.now() / 1000);

/**
 * A SphereScout-like server whose clock is `skewS` seconds off ours, issuing tokens made by
 * `mint(serverNowS)`; it answers 401 to a token whose real lifetime (`lifetimeS`) is over.
 */
function jwtServer(mint: (serverNow: number) => string, lifetimeS: number, skewS = 0) {
  const issuedAt = new Map<string, number>();
  const issue = () => {
    const t = mint(nowS() + skewS);
    issuedAt.set(t, Date.now());
    return t;
  };
  const logins = script('/api/auth/login', [() => json({ access: issue(), refresh: `r${serial}` })]);
  const refreshes = script('/api/token/refresh', [() => json({ access: issue(), refresh: `r${serial}` })]);
  const calls = script('/data', [
    (request) => {
      const t = request.headers.get('authorization')?.slice(7) ?? '';
      const at = issuedAt.get(t);
      return at !== undefined && Date.now() - at < lifetimeS * 1000 ? json({ ok: true }) : json({ code: 'token_not_valid' }, 401);
    },
  ]);
  return { logins, refreshes, calls };
}

async function callsOverTime(client: Client, count: number, stepMs: number) {
  for (let i = 0; i < count; i++) {
    await client.get('/data');
    vi.setSystemTime(Date.now() + stepMs);
  }
}

const makeClient = () => new Client({ baseURL: BASE, auth: jwt({ username: 'u', password: 'p', refreshSkew: 60_000 }) });

describe('jwt under clock skew and odd claims', () => {
  for (const skewMin of [-10, 10]) {
    it(`server clock ${skewMin > 0 ? 'ahead' : 'behind'} by 10 min, with iat: renews once per lifetime, ahead of time`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const s = jwtServer((now) => token({ iat: now, exp: now + 300 }), 300, skewMin * 60);
      const c = makeClient();
      await callsOverTime(c, 60, 10_000); // 10 minutes of calls, tokens live 5 minutes
      expect(s.logins).toHaveLength(1);
      expect(s.refreshes.length).toBeGreaterThanOrEqual(2);
      expect(s.refreshes.length).toBeLessThanOrEqual(3);
      expect(s.calls).toHaveLength(60); // never a 401: always renewed before expiry
    });
  }

  it('server clock 10 min behind, no iat (exp looks past): no renewal loop; a 401 still renews', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const s = jwtServer((now) => token({ exp: now + 300 }), 300, -600);
    const c = makeClient();
    await callsOverTime(c, 60, 10_000);
    expect(s.logins).toHaveLength(1);
    expect(s.refreshes.length).toBeGreaterThanOrEqual(1); // after each 401
    expect(s.refreshes.length).toBeLessThanOrEqual(2);
    expect(s.calls.length).toBeLessThanOrEqual(60 + 2 * 2);
  });

  it('server clock 10 min ahead, no iat (exp looks late): the 401 renews, once per expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const s = jwtServer((now) => token({ exp: now + 300 }), 300, 600);
    const c = makeClient();
    await callsOverTime(c, 60, 10_000);
    expect(s.logins).toHaveLength(1);
    expect(s.refreshes.length).toBeGreaterThanOrEqual(1);
    expect(s.refreshes.length).toBeLessThanOrEqual(2);
  });

  for (const [name, mint] of [
    ['exp missing', () => token({})],
    ['not a JWT at all', () => `opaque-${++serial}`],
    ['exp far in the future', (now: number) => token({ exp: now + 10 * 365 * 86_400 })],
    ['exp in the past', (now: number) => token({ exp: now - 3600 })],
  ] as const) {
    it(`${name}: one login, no renewal until a 401, then exactly one refresh`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const s = jwtServer(mint, 120);
      const c = makeClient();
      await callsOverTime(c, 10, 10_000); // 100 s: all within the real lifetime
      expect(s.logins).toHaveLength(1);
      expect(s.refreshes).toHaveLength(0);
      vi.setSystemTime(Date.now() + 60_000); // past the real lifetime
      await c.get('/data');
      expect(s.refreshes).toHaveLength(1);
      expect(s.calls).toHaveLength(12);
    });
  }
});

describe('session expires_in edge values', () => {
  for (const [name, expiresIn] of [
    ['zero', 0],
    ['negative', -30],
    ['missing', undefined],
    ['huge', 1e12],
    ['not a number', 'soon'],
  ] as const) {
    it(`expires_in ${name}: one login for many calls; a 401 logs in exactly once more`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      let n = 0;
      let valid = '';
      const logins = script('/auth/login', [
        () => {
          valid = `s${++n}`;
          return json({ access_token: valid, token_type: 'Bearer', ...(expiresIn === undefined ? {} : { expires_in: expiresIn }) });
        },
      ]);
      const calls = script('/me', [
        (request) => (request.headers.get('authorization') === `Bearer ${valid}` ? json({ ok: true }) : json({ error: 'token_expired' }, 401)),
      ]);
      const c = new Client({ baseURL: BASE, auth: session({ apiKey: 'k' }) });
      for (let i = 0; i < 10; i++) {
        await c.get('/me');
        vi.setSystemTime(Date.now() + 60_000);
      }
      expect(logins).toHaveLength(1);
      valid = 'revoked';
      await c.get('/me');
      expect(logins).toHaveLength(2);
      expect(calls).toHaveLength(12);
    });
  }
});
