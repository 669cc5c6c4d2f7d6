import { http, HttpResponse } from 'msw';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AuthenticationError,
  ConfigurationError,
  NotFoundError,
  PermissionDeniedError,
  ResponseValidationError,
  ScopeError,
  UnprocessableEntityError,
} from '../../src/index.js';
import { OpenProspect, OPENPROSPECT_BASE_URL, type Order, type OrderList } from '../../src/services/openprospect/index.js';
import { MOCK_CREDENTIALS, OpenProspectMock } from '../../src/testing/index.js';
import { expectKeyRefused, rejection, renderings, thrown, useMockApis } from '../helpers.js';

const PROD = 'https://api.openprospect.io/api/v1';
const SANDBOX = 'https://sandbox.openprospect.test/api/v1';

/** Production (documented default base URL) and a test environment, each its own stateful mock. */
const sandbox = new OpenProspectMock({ baseURL: SANDBOX });
const { apis, server, sent } = useMockApis([sandbox]);
const prod = apis.openprospect;
const LIVE_KEY = 'lnc_live_bKitTestLiveKey0123456789AbCdEfGh';
prod.addKey(LIVE_KEY, ['orders:read', 'orders:write', 'admin:write']);

const creds = MOCK_CREDENTIALS.openprospect;
const full = () => new OpenProspect(creds.apiKey, { baseURL: SANDBOX });
const readOnly = () => new OpenProspect(creds.readOnlyKey, { baseURL: SANDBOX });



describe('OpenProspect: default base URL and test keys', () => {
  it('a client built without baseURL sends to https://api.openprospect.io/api/v1', async () => {
    const op = new OpenProspect(LIVE_KEY);
    expect(OPENPROSPECT_BASE_URL).toBe(PROD);
    expect(op.baseURL).toBe(PROD);
    const list = await op.orders.list();
    expect(sent).toEqual([`GET ${PROD}/orders`]);
    expect(prod.stats.byRoute).toEqual({ 'GET /orders': 1 });
    expect(list.total).toBe(3);
  });

  it('an lnc_live_ key with the production URL (explicit) is fine', async () => {
    const op = new OpenProspect(LIVE_KEY, { baseURL: PROD });
    await op.orders.list({ limit: 1 });
    expect(sent).toEqual([`GET ${PROD}/orders?limit=1`]);
  });

  it('an lnc_test_ key with the default (production) base URL → ConfigurationError, nothing sent', () => {
    const error = thrown(() => new OpenProspect(creds.apiKey));
    expect(error).toBeInstanceOf(ConfigurationError);
    for (const text of renderings(error)) expect(text).not.toContain(creds.apiKey);
    expect(sent).toEqual([]);
  });

  it.each([
    ['explicit', PROD],
    ['trailing slash', `${PROD}/`],
    ['upper-case host', 'https://API.OpenProspect.io/api/v1'],
    ['explicit port', 'https://api.openprospect.io:443/api/v1'],
    ['undefined', undefined],
  ])('an lnc_test_ key with the production URL (%s) → ConfigurationError', (_name, baseURL) => {
    expect(() => new OpenProspect(creds.readOnlyKey, { baseURL })).toThrow(ConfigurationError);
  });

  it('an lnc_test_ key with a test baseURL is fine and goes there', async () => {
    const op = full();
    expect(op.baseURL).toBe(SANDBOX);
    await op.orders.list();
    expect(sent).toEqual([`GET ${SANDBOX}/orders`]);
    expect(sandbox.stats.requests).toBe(1);
    expect(prod.stats.requests).toBe(0);
  });
});

describe('OpenProspect endpoints', () => {
  it('orders.list({limit}): GET /orders?limit=2 → {orders: [{id, title, status}], total}', async () => {
    const list = await full().orders.list({ limit: 2 });
    expect(sandbox.log).toEqual([
      { method: 'GET', path: '/orders?limit=2', authorization: `Bearer ***${creds.apiKey.slice(-4)}`, body: undefined },
    ]);
    expect(list).toEqual({
      orders: [
        { id: 'ord_0003', title: 'Nordics Prospect Refresh', status: 'pending' },
        { id: 'ord_0002', title: 'DACH Manufacturing Discovery', status: 'processing' },
      ],
      total: 3,
    });
    expectTypeOf(list).toEqualTypeOf<OrderList>();
  });

  it('orders.list({limit, offset}) sends both', async () => {
    const list = await full().orders.list({ limit: 1, offset: 1 });
    expect([...new URLSearchParams(sandbox.log[0]!.path.split('?')[1])].sort()).toEqual([
      ['limit', '1'],
      ['offset', '1'],
    ]);
    expect(list.orders.map((o) => o.id)).toEqual(['ord_0002']);
  });

  it('orders.create(body): POST /orders with that JSON → the order; extra fields kept', async () => {
    const op = full();
    const body = { title: 'New order', features: ['CONTACTS'], companies: [{ company_name: 'Example Corp', domain: 'example.com' }] };
    const order = await op.orders.create(body);
    expect(sandbox.log).toEqual([
      { method: 'POST', path: '/orders', authorization: `Bearer ***${creds.apiKey.slice(-4)}`, body },
    ]);
    expect(order).toEqual({
      id: expect.stringMatching(/^ord_/),
      title: 'New order',
      status: 'pending',
      // not in the Order schema: kept as the API sent them
      features: ['CONTACTS'],
      companies: [{ company_name: 'Example Corp', domain: 'example.com' }],
      created_at: expect.any(String),
    });
    expectTypeOf(order).toEqualTypeOf<Order>();
    const list = await op.orders.list();
    expect(list.total).toBe(4);
    expect(list.orders[0]?.id).toBe(order.id);
  });

  it('apiKeys.revoke(id): DELETE /api-keys/:id, 204 → undefined; the revoked key then gets 401', async () => {
    const op = full();
    const ro = readOnly();
    await ro.orders.list();
    const result = await op.apiKeys.revoke(creds.readOnlyKeyId);
    expect(result).toBeUndefined();
    expect(sandbox.log[1]).toEqual({
      method: 'DELETE',
      path: `/api-keys/${creds.readOnlyKeyId}`,
      authorization: `Bearer ***${creds.apiKey.slice(-4)}`,
      body: undefined,
    });
    const error = await rejection(ro.orders.list());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.code).toBe('AUTHENTICATION_ERROR');
    expect(error.message).toContain('Invalid or missing API key');
    expect(sandbox.stats.byRoute).toEqual({ 'GET /orders': 2, 'DELETE /api-keys/:id': 1 });
  });

  it('revoking an unknown key → NotFoundError with code NOT_FOUND', async () => {
    const error = await rejection(full().apiKeys.revoke('key_9999'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('API key not found');
    expect(sandbox.stats.requests).toBe(1);
  });
});

describe('OpenProspect errors', () => {
  it('the read-only key creating an order → ScopeError naming required, granted and missing scopes', async () => {
    const error = await rejection(readOnly().orders.create({ title: 'x', features: [], companies: [] }));
    expect(error).toBeInstanceOf(ScopeError);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.name).toBe('ScopeError');
    expect(error.status).toBe(403);
    expect(error.code).toBe('AUTHORIZATION_ERROR');
    expect(error.requiredScopes).toEqual(['orders:write']);
    expect(error.grantedScopes).toEqual(['orders:read']);
    expect(error.missingScopes).toEqual(['orders:write']);
    expect(sandbox.stats.byRoute).toEqual({ 'POST /orders': 1 });
  });

  it('the read-only key revoking a key → ScopeError missing admin:write; the key is not revoked', async () => {
    const error = await rejection(readOnly().apiKeys.revoke(creds.apiKeyId));
    expect(error).toBeInstanceOf(ScopeError);
    expect(error.requiredScopes).toEqual(['admin:write']);
    expect(error.missingScopes).toEqual(['admin:write']);
    await expect(full().orders.list()).resolves.toMatchObject({ total: 3 });
  });

  it('an invalid order → 422 UnprocessableEntityError VALIDATION_ERROR with the detail list', async () => {
    const error = await rejection(full().orders.create({ title: '', features: [], companies: [] }));
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toContain('title is required');
    expect(error.body.detail).toEqual([{ loc: ['body', 'title'], msg: 'Field required', type: 'missing' }]);
    expect(sandbox.stats.requests).toBe(1);
  });

  it('an out-of-range limit → 422 UnprocessableEntityError', async () => {
    const error = await rejection(full().orders.list({ limit: 0 }));
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(sandbox.log[0]?.path).toBe('/orders?limit=0');
  });

  it('an unknown key → 401 AuthenticationError, sent once', async () => {
    const error = await rejection(new OpenProspect(`lnc_test_${'z'.repeat(32)}`, { baseURL: SANDBOX }).orders.list());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe('AUTHENTICATION_ERROR');
    expect(sandbox.stats.requests).toBe(1);
  });
});

describe('OpenProspect schemas', () => {
  it('extra fields (top level and per order) survive', async () => {
    server.use(
      http.get(`${SANDBOX}/orders`, () =>
        HttpResponse.json({
          orders: [{ id: 'o1', title: 'T', status: 'done', priority: 2, tags: ['a'] }],
          total: 1,
          has_more: false,
        }),
      ),
    );
    const list = await full().orders.list();
    expect(list).toEqual({ orders: [{ id: 'o1', title: 'T', status: 'done', priority: 2, tags: ['a'] }], total: 1, has_more: false });
  });

  it.each([
    ['no total', { orders: [] }],
    ['an order without status', { orders: [{ id: 'o1', title: 'T' }], total: 1 }],
    ['total as a string', { orders: [], total: '1' }],
  ])('%s → ResponseValidationError', async (_name, body) => {
    server.use(http.get(`${SANDBOX}/orders`, () => HttpResponse.json(body)));
    const error = await rejection(full().orders.list());
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.status).toBe(200);
    expect(error.method).toBe('GET');
    expect(error.url).toBe(`${SANDBOX}/orders`);
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it('a created order missing its id → ResponseValidationError', async () => {
    server.use(http.post(`${SANDBOX}/orders`, () => HttpResponse.json({ title: 'T', status: 'pending' }, { status: 201 })));
    const error = await rejection(full().orders.create({ title: 'T', features: [], companies: [] }));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.status).toBe(201);
  });
});

describe('OpenProspect key checks', () => {
  const SECRET = 'S3cretPartZZ9abcdefghijklmnopqrst';
  it.each([
    ['a wrong prefix', `lnc_prod_${SECRET}`],
    ['a ScamVerify key', `sv_live_${SECRET}`],
    ['no prefix', SECRET],
    ['an upper-case prefix', `LNC_LIVE_${SECRET}`],
    ['a space inside', `lnc_live_${SECRET.slice(0, 10)} ${SECRET.slice(10)}`],
    ['a trailing space', `lnc_live_${SECRET} `],
    ['a line break inside', `lnc_live_${SECRET.slice(0, 10)}\n${SECRET.slice(10)}`],
    ['a trailing CRLF', `lnc_test_${SECRET}\r\n`],
  ])('%s → ConfigurationError that does not show the key', (_name, key) => {
    expectKeyRefused(() => new OpenProspect(key, { baseURL: SANDBOX }), key, SECRET, sent);
  });

  it.each([
    ['empty', ''],
    ['undefined', undefined],
  ])('%s → ConfigurationError', (_name, key) => {
    expect(() => new OpenProspect(key, { baseURL: SANDBOX })).toThrow(ConfigurationError);
  });

  it.each([20, 60])('lenient on length: an lnc_test_ key with a %i-character body works', async (length) => {
    const key = `lnc_test_${'q'.repeat(length - 4)}${String(length).padStart(4, 'Y')}`;
    sandbox.addKey(key, ['orders:read']);
    const list = await new OpenProspect(key, { baseURL: SANDBOX }).orders.list({ limit: 1 });
    expect(list.orders).toHaveLength(1);
    expect(sandbox.log[0]?.authorization).toBe(`Bearer ***${key.slice(-4)}`);
  });
});

describe('OpenProspect path parameters', () => {
  it("revoke('a/b') stays one segment: /api-keys/a%2Fb", async () => {
    const error = await rejection(full().apiKeys.revoke('a/b'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(sent).toEqual([`DELETE ${SANDBOX}/api-keys/a%2Fb`]);
    expect(sandbox.stats.byRoute).toEqual({ 'DELETE /api-keys/:id': 1 });
  });

  it('? and # in an id are encoded', async () => {
    await rejection(full().apiKeys.revoke('k?x#y'));
    expect(sent).toEqual([`DELETE ${SANDBOX}/api-keys/k%3Fx%23y`]);
    expect(sandbox.log[0]?.path).toBe('/api-keys/k%3Fx%23y');
  });

  it.each(['..', '.', '', '%2E%2e'])('revoke(%j) → ConfigurationError and no request', async (id) => {
    const error = await rejection(full().apiKeys.revoke(id));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(sandbox.stats.requests).toBe(0);
    expect(sent).toEqual([]);
  });
});

describe('production host spelled with a trailing dot', () => {
  it('an lnc_test_ key against https://api.openprospect.io./api/v1 is refused too', () => {
    expect(() => new OpenProspect(MOCK_CREDENTIALS.openprospect.apiKey, { baseURL: 'https://api.openprospect.io./api/v1' })).toThrow(
      ConfigurationError,
    );
  });
});
