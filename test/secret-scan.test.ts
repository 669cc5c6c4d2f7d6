/**
 * Secret scan: every strategy, through every kind of failure, with recognisable secrets. No
 * secret may appear in any error (message, String, JSON, inspect), in the client's inspect,
 * in the mock's request log, or in any request the server receives except where it belongs:
 * the Authorization header, and the login / refresh bodies.
 */
import { inspect } from 'node:util';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Credentials, apiKey, jwt, session } from '../src/index.js';
import { OpenProspect } from '../src/services/openprospect/index.js';
import { ScamVerify } from '../src/services/scamverify/index.js';
import { SphereScout } from '../src/services/spherescout/index.js';
import { createMockApis } from '../src/testing/index.js';

const BASE = 'https://scan.example.test';
const MARK = 'zQ9xSECRET';
const secret = (what: string) => `${what}-${MARK}-${Math.random().toString(36).slice(2, 8)}`;
const API_KEY = secret('key');
const PASSWORD = secret('pw');
const SESSION_KEY = secret('sess');
const SV_KEY = `sv_live_${MARK}aaaaaaaaaaaaaaaaaaaaaaaaaaaaa`;
const OP_KEY = `lnc_live_${MARK}bbbbbbbbbbbbbbbbbbbbbb`;
let issued = 0;
const token = (kind: string) => `${kind}-${MARK}-${++issued}`;

/** Where a secret may appear: the Authorization header, and these body fields of these paths. */
const ALLOWED_BODY_FIELDS: Record<string, string[]> = {
  '/api/auth/login': ['password', 'username'],
  '/api/token/refresh': ['refresh'],
  '/auth/login': ['api_key'],
};

const leaks: string[] = [];
let mode: 'ok' | '401' | '403' | '429' | '500' | 'reset' | 'html' | 'bad-login' = 'ok';

function scanRequest(request: Request, body: string): void {
  const url = new URL(request.url);
  if (url.href.includes(MARK)) leaks.push(`url ${url.href}`);
  request.headers.forEach((value, name) => {
    if (name !== 'authorization' && value.includes(MARK)) leaks.push(`header ${name} of ${url.pathname}`);
  });
  if (body.includes(MARK)) {
    const allowed = Object.entries(ALLOWED_BODY_FIELDS).find(([path]) => url.pathname.endsWith(path))?.[1] ?? [];
    const parsed = JSON.parse(body) as Record<string, unknown>;
    for (const [field, value] of Object.entries(parsed)) {
      if (JSON.stringify(value).includes(MARK) && !allowed.includes(field)) leaks.push(`body field ${field} of ${url.pathname}`);
    }
  }
}

function reply(): Response {
  switch (mode) {
    case 'ok':
      return HttpResponse.json({ ok: true });
    case '401':
      return HttpResponse.json({ detail: 'Given token not valid', code: 'token_not_valid' }, { status: 401 });
    case '403':
      return HttpResponse.json({ code: 'AUTHORIZATION_ERROR', message: 'no', detail: { required_scopes: ['a'], user_scopes: [] } }, { status: 403 });
    case '429':
      return HttpResponse.json({ detail: 'slow down' }, { status: 429, headers: { 'retry-after': '3600' } });
    case '500':
      return HttpResponse.json({ detail: 'boom' }, { status: 500 });
    case 'reset':
      return HttpResponse.error();
    case 'html':
      return new HttpResponse('<html>hello</html>', { status: 200 });
    default:
      return HttpResponse.json({ ok: true });
  }
}

const apis = createMockApis();
const server = setupServer(
  http.post(`${BASE}/api/auth/login`, () =>
    mode === 'bad-login' ? HttpResponse.json({ access: 42, refresh: token('refresh') }) : HttpResponse.json({ access: token('access'), refresh: token('refresh') }),
  ),
  http.post(`${BASE}/api/token/refresh`, () => HttpResponse.json({ access: token('access'), refresh: token('refresh') })),
  http.post(`${BASE}/auth/login`, () => HttpResponse.json({ access_token: token('session'), expires_in: 3600 })),
  http.all(`${BASE}/data`, () => reply()),
  ...apis.handlers,
);
server.events.on('request:start', async ({ request }) => {
  scanRequest(request, await request.clone().text());
});
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const strategies: Array<[string, () => Credentials | string]> = [
  ['api key string', () => API_KEY],
  ['api key function', () => apiKey(async () => secret('rotated'))],
  ['jwt', () => jwt({ username: `user-${MARK}`, password: PASSWORD })],
  ['jwt with saved tokens', () => jwt({ tokens: { access: token('access'), refresh: token('refresh') }, username: 'u', password: PASSWORD })],
  ['session', () => session({ apiKey: SESSION_KEY, sessionId: 's1' })],
];

function expectNoSecret(what: string, value: unknown): void {
  for (const text of [String(value), JSON.stringify(value) ?? '', inspect(value, { depth: 10, showHidden: true })]) {
    expect(text, `${what} leaks a secret`).not.toContain(MARK);
  }
  if (value instanceof Error) expect(value.message, `${what} message`).not.toContain(MARK);
}

describe('secret scan', () => {
  for (const [name, make] of strategies) {
    it(`${name}: no secret in errors, the client or requests, through every failure`, async () => {
      for (const m of ['ok', '401', '403', '429', '500', 'reset', 'html', 'bad-login'] as const) {
        mode = m;
        // A fresh client per mode, so each mode meets the login / first renewal too.
        const client = new Client({ baseURL: BASE, auth: make(), maxRetries: 1, maxRetryDelay: 10, timeout: 2000 });
        for (const method of ['get', 'post', 'get'] as const) {
          try {
            await client[method]('/data', { json: method === 'post' ? { note: 'hello' } : undefined });
          } catch (error) {
            expectNoSecret(`${name} / ${m} / ${method} error`, error);
          }
        }
        expectNoSecret(`${name} client`, client);
        const aborted = await client.get('/data', { signal: AbortSignal.abort() }).catch((error: unknown) => error);
        expectNoSecret(`${name} abort`, aborted);
      }
      expect(leaks).toEqual([]);
    });
  }

  it('service clients and their mocks: no secret in clients, errors, or the mock log', async () => {
    const ss = new SphereScout({ username: 'demo@example.com', password: 'demo-password-123' });
    await ss.user.profile();
    apis.spherescout.expireAccessTokens();
    await ss.user.profile();
    const creds = { sv: SV_KEY, op: OP_KEY };
    apis.scamverify.addKey(creds.sv, { subscription: false });
    apis.openprospect.addKey(creds.op, ['orders:read']);
    const sv = new ScamVerify(creds.sv);
    const op = new OpenProspect(creds.op);
    for (const call of [() => sv.phone.lookup({ phone_number: '+12025551234' }), () => op.orders.create({ title: 't', features: [], companies: [] })]) {
      try {
        await call();
        throw new Error('expected a failure');
      } catch (error) {
        expectNoSecret('service error', error);
      }
    }
    for (const client of [ss, sv, op]) expectNoSecret('service client', client);
    const log = JSON.stringify([apis.spherescout.log, apis.scamverify.log, apis.openprospect.log]);
    expect(log).not.toContain(MARK);
    expect(log).not.toContain('demo-password-123');
    expect(leaks).toEqual([]);
  });
});

describe('console guard (test/setup/console-guard.ts)', () => {
  it('fails a test that prints a seeded secret', async () => {
    const { MOCK_CREDENTIALS } = await import('../src/testing/index.js');
    expect(() => console.log('key:', { nested: MOCK_CREDENTIALS.session.apiKey })).toThrow(/printed a secret/);
  });
});
