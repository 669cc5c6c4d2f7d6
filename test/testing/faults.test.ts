import { afterEach, describe, expect, it, vi } from 'vitest';
import { MOCK_CREDENTIALS } from '../../src/testing/index.js';
import { call, useMockApis } from './support.js';

const apis = useMockApis();
const SS = 'https://www.spherescout.io';
const OP = 'https://api.openprospect.io/api/v1';
const creds = MOCK_CREDENTIALS;

afterEach(() => {
  vi.useRealTimers();
});

describe('failNext', () => {
  it('status + headers + body, for exactly `count` requests, counted in stats and log', async () => {
    const ss = apis.spherescout;
    ss.failNext(2, { status: 503, headers: { 'Retry-After': '3' }, body: { detail: 'down for a bit' } });
    for (let i = 0; i < 2; i += 1) {
      const res = await call(`${SS}/api/user/profile`, { token: creds.spherescout.apiKey });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(res.body).toEqual({ detail: 'down for a bit' });
      expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    }
    expect((await call(`${SS}/api/user/profile`, { token: creds.spherescout.apiKey })).status).toBe(200);
    expect(ss.stats.requests).toBe(3);
    expect(ss.stats.byRoute).toEqual({ 'GET /api/user/profile': 3 });
    expect(ss.log).toHaveLength(3);
  });

  it('a 429 without body uses the SphereScout envelope; a string body is sent as is', async () => {
    apis.spherescout.failNext(1, { status: 429, headers: { 'Retry-After': '1' } });
    apis.spherescout.failNext(1, { status: 502, body: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } });
    const limited = await call(`${SS}/api/user/profile`);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ detail: 'Request was throttled.' });
    const html = await call(`${SS}/api/user/profile`);
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(html.body).toBe('<html>bad gateway</html>');
  });

  it('network: true makes fetch reject, once', async () => {
    apis.openprospect.failNext(1, { network: true });
    await expect(fetch(`${OP}/orders`)).rejects.toThrow(TypeError);
    expect((await call(`${OP}/orders`, { token: creds.openprospect.apiKey })).status).toBe(200);
    expect(apis.openprospect.stats.requests).toBe(2);
  });

  it('path only hits requests under that path; others pass untouched', async () => {
    apis.spherescout.failNext(1, { status: 500, path: '/api/token/refresh' });
    const login = await call(`${SS}/api/auth/login`, {
      json: { username: creds.spherescout.username, password: creds.spherescout.password },
    });
    expect(login.status).toBe(200);
    const failed = await call(`${SS}/api/token/refresh`, { json: { refresh: login.body.refresh } });
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ detail: 'A server error occurred.' });
    const ok = await call(`${SS}/api/token/refresh`, { json: { refresh: login.body.refresh } });
    expect(ok.status).toBe(200);
    expect(apis.spherescout.stats).toMatchObject({ requests: 3, logins: 1, refreshes: 2 });
  });

  it('the path is relative to the API base (OpenProspect base includes /api/v1)', async () => {
    apis.openprospect.failNext(1, { status: 503, path: '/api-keys' });
    expect((await call(`${OP}/orders`, { token: creds.openprospect.apiKey })).status).toBe(200);
    const res = await call(`${OP}/api-keys/nope`, { token: creds.openprospect.apiKey, method: 'DELETE' });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable' });
  });

  it('delayMs waits on setTimeout (fake timers drive it); a delay-only fault then answers normally', async () => {
    vi.useFakeTimers();
    apis.openprospect.failNext(1, { delayMs: 5_000, headers: { 'x-delayed': 'yes' } });
    let settled = false;
    const pending = fetch(`${OP}/orders`, {
      headers: { authorization: `Bearer ${creds.openprospect.apiKey}` },
    }).then((r) => {
      settled = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(4_900);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('x-delayed')).toBe('yes');
    expect(((await res.json()) as { total: number }).total).toBe(3);
  });

  it('rejects a bad count; reset() drops queued faults', async () => {
    expect(() => apis.session.failNext(0, { status: 500 })).toThrow(RangeError);
    apis.session.failNext(5, { status: 500 });
    apis.session.reset();
    const res = await call('https://session.bearerkit.test/auth/login', { json: { api_key: creds.session.apiKey } });
    expect(res.status).toBe(200);
  });
});

describe('randomFaults', () => {
  it('answers about `rate` of the matching requests with one of the faults, and only those paths', async () => {
    const ss = apis.spherescout;
    ss.randomFaults({ rate: 0.5, paths: ['/api/companies'], faults: [{ status: 503 }, { status: 429 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      statuses.push((await call(`${SS}/api/companies`, { token: creds.spherescout.apiKey })).status);
    }
    const faulted = statuses.filter((s) => s !== 200);
    expect(faulted.length).toBeGreaterThan(60);
    expect(faulted.length).toBeLessThan(140);
    expect(new Set(faulted)).toEqual(new Set([503, 429]));
    expect(ss.stats.faults).toBe(faulted.length);
    // another path is never faulted
    for (let i = 0; i < 20; i++) expect((await call(`${SS}/api/user/profile`, { token: creds.spherescout.apiKey })).status).toBe(200);
    ss.randomFaults(undefined);
    expect((await call(`${SS}/api/companies`, { token: creds.spherescout.apiKey })).status).toBe(200);
    expect(() => ss.randomFaults({ rate: 2, faults: [{ status: 500 }] })).toThrow(RangeError);
  });
});

describe('stats and the request log', () => {
  it('counts by route template and never logs a whole secret', async () => {
    const ss = apis.spherescout;
    const login = await call(`${SS}/api/auth/login`, {
      json: { username: creds.spherescout.username, password: creds.spherescout.password },
    });
    const { access, refresh } = login.body as { access: string; refresh: string };
    await call(`${SS}/api/token/refresh`, { json: { refresh } });
    await call(`${SS}/api/user/profile`, { token: access });
    await call(`${SS}/api/companies?countries=DE&email=true`, { token: creds.spherescout.apiKey });
    await call(`${SS}/api/user/api-keys/abc`, { token: creds.spherescout.apiKey, method: 'DELETE' });
    await call('https://session.bearerkit.test/auth/login', {
      json: { api_key: creds.session.apiKey, session_id: 's1' },
    });

    expect(ss.stats).toEqual({
      requests: 5,
      logins: 1,
      refreshes: 1,
      faults: 0,
      byRoute: {
        'POST /api/auth/login': 1,
        'POST /api/token/refresh': 1,
        'GET /api/user/profile': 1,
        'GET /api/companies': 1,
        'DELETE /api/user/api-keys/:id': 1,
      },
    });
    expect(ss.log.map((e) => `${e.method} ${e.path}`)).toEqual([
      'POST /api/auth/login',
      'POST /api/token/refresh',
      'GET /api/user/profile',
      'GET /api/companies?countries=DE&email=true',
      'DELETE /api/user/api-keys/abc',
    ]);
    expect(ss.log[0]!.body).toEqual({ username: creds.spherescout.username, password: '***-123' });
    expect(ss.log[0]!.authorization).toBeUndefined();
    expect(ss.log[1]!.body).toEqual({ refresh: `***${refresh.slice(-4)}` });
    expect(ss.log[2]!.authorization).toBe(`Bearer ***${access.slice(-4)}`);
    expect(ss.log[3]!.authorization).toBe('Bearer ***cdef');
    expect(apis.session.log[0]!.body).toEqual({ api_key: '***6789', session_id: 's1' });

    const dump = JSON.stringify([ss.log, apis.session.log]);
    for (const secret of [access, refresh, creds.spherescout.password, creds.spherescout.apiKey, creds.session.apiKey]) {
      expect(dump).not.toContain(secret);
    }

    apis.reset();
    expect(ss.stats).toEqual({ requests: 0, logins: 0, refreshes: 0, faults: 0, byRoute: {} });
    expect(ss.log).toEqual([]);
    // tokens issued before reset() no longer work
    expect((await call(`${SS}/api/user/profile`, { token: access })).status).toBe(401);
  });

  it('every response carries an x-request-id', async () => {
    const a = await call(`${OP}/orders`);
    const b = await call(`${OP}/orders`);
    expect(a.headers.get('x-request-id')).toMatch(/^req_/);
    expect(b.headers.get('x-request-id')).not.toBe(a.headers.get('x-request-id'));
  });
});
