import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOCK_CREDENTIALS, startMockServer, type MockServer } from '../../src/testing/index.js';
import { call } from './support.js';

let mock: MockServer;
const creds = MOCK_CREDENTIALS;

beforeAll(async () => {
  mock = await startMockServer({ accessTokenLifetimeMs: 60_000 });
});
afterAll(async () => {
  await mock.close();
});

describe('startMockServer', () => {
  it('listens on 127.0.0.1 with one base URL per API', () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.urls).toEqual({
      spherescout: `${mock.url}/spherescout`,
      scamverify: `${mock.url}/scamverify`,
      openprospect: `${mock.url}/openprospect/api/v1`,
      session: `${mock.url}/session`,
    });
    expect(mock.apis.spherescout.baseURL).toBe(mock.urls.spherescout);
    expect(mock.apis.spherescout.accessTokenLifetimeMs).toBe(60_000);
  });

  it('serves SphereScout: login, profile, refresh, api-key revoke', async () => {
    const base = mock.urls.spherescout;
    const login = await call(`${base}/api/auth/login`, {
      json: { username: creds.spherescout.username, password: creds.spherescout.password },
    });
    expect(login.status).toBe(200);
    const profile = await call(`${base}/api/user/profile`, { token: login.body.access });
    expect(profile.status).toBe(200);
    expect(profile.body.email).toBe(creds.spherescout.username);
    expect(profile.headers.get('access-control-allow-origin')).toBe('*');
    expect(profile.headers.get('access-control-expose-headers')).toBe(
      'retry-after, retry-after-ms, x-request-id, www-authenticate',
    );
    expect(profile.headers.get('x-request-id')).toMatch(/^req_/);
    const refreshed = await call(`${base}/api/token/refresh`, { json: { refresh: login.body.refresh } });
    expect(refreshed.status).toBe(200);
    const created = await call(`${base}/api/user/api-keys`, { token: refreshed.body.access, json: {} });
    expect(created.status).toBe(201);
    const revoked = await call(`${base}/api/user/api-keys/${created.body.api_key.id}`, {
      token: created.body.token,
      method: 'DELETE',
    });
    expect(revoked.status).toBe(204);
    expect(revoked.body).toBeUndefined();
    expect((await call(`${base}/api/user/profile`, { token: created.body.token })).status).toBe(401);
    expect(mock.apis.spherescout.stats).toMatchObject({ logins: 1, refreshes: 1 });
  });

  it('serves ScamVerify, OpenProspect and the session API', async () => {
    const sv = await call(`${mock.urls.scamverify}/api/v1/phone/lookup`, {
      token: creds.scamverify.testKey,
      json: { phone_number: '+12025551234' },
    });
    expect(sv.status).toBe(200);
    expect(sv.body.test_mode).toBe(true);
    const noKey = await call(`${mock.urls.scamverify}/api/v1/phone/lookup`, { json: { phone_number: '+1' } });
    expect(noKey.status).toBe(401);
    expect(noKey.body.error).toBe('missing_api_key');

    const orders = await call(`${mock.urls.openprospect}/orders?limit=2`, { token: creds.openprospect.apiKey });
    expect(orders.status).toBe(200);
    expect(orders.body.orders).toHaveLength(2);
    expect(orders.body.total).toBe(3);
    const forbidden = await call(`${mock.urls.openprospect}/orders`, {
      token: creds.openprospect.readOnlyKey,
      json: { title: 'x' },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.detail.required_scopes).toEqual(['orders:write']);

    const s1 = await call(`${mock.urls.session}/auth/login`, { json: { api_key: creds.session.apiKey } });
    const s2 = await call(`${mock.urls.session}/auth/login`, { json: { api_key: creds.session.apiKey } });
    expect(s1.status).toBe(200);
    expect(s2.body.access_token).toBe(s1.body.access_token);
    const me = await call(`${mock.urls.session}/v1/me`, { token: s1.body.access_token });
    expect(me.body.session_id).toBeNull();
  });

  it('answers CORS preflight with 204 and the allow headers', async () => {
    const requestsBefore = mock.apis.openprospect.stats.requests;
    const res = await fetch(`${mock.urls.openprospect}/orders`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-custom',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,PATCH,DELETE,OPTIONS');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(/,\s*/);
    for (const h of ['authorization', 'content-type', 'accept', 'x-request-id', 'retry-after-ms', 'x-custom']) {
      expect(allowed).toContain(h);
    }
    expect(res.headers.get('access-control-expose-headers')).toContain('retry-after');
    expect(await res.text()).toBe('');
    // preflights are not API requests
    expect(mock.apis.openprospect.stats.requests).toBe(requestsBefore);
  });

  it('unknown routes are 404 JSON', async () => {
    const outside = await call(`${mock.url}/nowhere`);
    expect(outside.status).toBe(404);
    expect(outside.headers.get('content-type')).toContain('application/json');
    expect(outside.body.error).toBe('not_found');
    expect(outside.headers.get('access-control-allow-origin')).toBe('*');
    const inside = await call(`${mock.urls.openprospect}/nothing`);
    expect(inside.status).toBe(404);
    expect(inside.body).toEqual({ code: 'NOT_FOUND', message: 'Not found' });
  });

  it('faults over real HTTP: status + Retry-After, and a network fault resets the socket', async () => {
    mock.apis.scamverify.failNext(1, { status: 429, headers: { 'Retry-After': '1' } });
    const limited = await call(`${mock.urls.scamverify}/api/v1/phone/lookup`, {
      token: creds.scamverify.liveKey,
      json: { phone_number: '+1' },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body.error).toBe('rate_limited');

    mock.apis.openprospect.failNext(1, { network: true, path: '/orders' });
    const error = await fetch(`${mock.urls.openprospect}/orders`, {
      headers: { authorization: `Bearer ${creds.openprospect.apiKey}` },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    const cause = (error as { cause?: { code?: string } }).cause;
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(cause?.code);
    const ok = await call(`${mock.urls.openprospect}/orders`, { token: creds.openprospect.apiKey });
    expect(ok.status).toBe(200);
    expect(mock.apis.openprospect.stats.byRoute['GET /orders']).toBe(2 + 1);
  });
});
