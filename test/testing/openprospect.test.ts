import { describe, expect, it } from 'vitest';
import { MOCK_CREDENTIALS } from '../../src/testing/index.js';
import { call, useMockApis } from './support.js';

const apis = useMockApis();
const OP = 'https://api.openprospect.io/api/v1';
const { apiKey, apiKeyId, readOnlyKey, readOnlyKeyId } = MOCK_CREDENTIALS.openprospect;
const ORDER = { title: 'Q1 Enrichment', features: ['CONTACTS'], companies: [{ company_name: 'Example Corp' }] };

describe('OpenProspect mock', () => {
  it('seeds keys in the documented format', () => {
    expect(apiKey).toMatch(/^lnc_test_[A-Za-z0-9]{32}$/);
    expect(readOnlyKey).toMatch(/^lnc_test_[A-Za-z0-9]{32}$/);
  });

  it('lists the 3 seeded orders, with limit and offset', async () => {
    const all = await call(`${OP}/orders?limit=10`, { token: readOnlyKey });
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.orders).toHaveLength(3);
    for (const order of all.body.orders) expect(Object.keys(order).sort()).toEqual(['id', 'status', 'title']);
    const page = await call(`${OP}/orders?limit=1&offset=1`, { token: readOnlyKey });
    expect(page.body).toEqual({ total: 3, orders: [all.body.orders[1]] });
    const bad = await call(`${OP}/orders?limit=0`, { token: readOnlyKey });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('VALIDATION_ERROR');
  });

  it('creates an order (201) that then shows up in the list', async () => {
    const created = await call(`${OP}/orders`, { token: apiKey, json: ORDER });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...ORDER, status: 'pending' });
    expect(typeof created.body.id).toBe('string');
    expect(Number.isNaN(Date.parse(created.body.created_at))).toBe(false);
    const list = await call(`${OP}/orders`, { token: apiKey });
    expect(list.body.total).toBe(4);
    expect(list.body.orders[0]).toEqual({ id: created.body.id, title: ORDER.title, status: 'pending' });
    apis.openprospect.reset();
    expect((await call(`${OP}/orders`, { token: apiKey })).body.total).toBe(3);
  });

  it('422 for a missing title', async () => {
    const res = await call(`${OP}/orders`, { token: apiKey, json: { features: [] } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'VALIDATION_ERROR', message: 'title is required' });
    expect(Array.isArray(res.body.detail)).toBe(true);
    expect(res.body.detail[0].loc).toEqual(['body', 'title']);
  });

  it('403 with the documented envelope when a scope is missing', async () => {
    const res = await call(`${OP}/orders`, { token: readOnlyKey, json: ORDER });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      code: 'AUTHORIZATION_ERROR',
      message: 'Insufficient permissions. Required scopes: orders:write',
      detail: { required_scopes: ['orders:write'], user_scopes: ['orders:read'] },
    });
    const del = await call(`${OP}/api-keys/${apiKeyId}`, { token: readOnlyKey, method: 'DELETE' });
    expect(del.status).toBe(403);
    expect(del.body.detail.required_scopes).toEqual(['admin:write']);
  });

  it('401 for a missing, unknown or revoked key', async () => {
    const expected = { code: 'AUTHENTICATION_ERROR', message: 'Invalid or missing API key' };
    const none = await call(`${OP}/orders`);
    expect(none.status).toBe(401);
    expect(none.body).toEqual(expected);
    const unknown = await call(`${OP}/orders`, { token: 'lnc_test_' + 'x'.repeat(32) });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(expected);

    const revoked = await call(`${OP}/api-keys/${readOnlyKeyId}`, { token: apiKey, method: 'DELETE' });
    expect(revoked.status).toBe(204);
    expect(revoked.body).toBeUndefined();
    const dead = await call(`${OP}/orders`, { token: readOnlyKey });
    expect(dead.status).toBe(401);
    expect(dead.body).toEqual(expected);
    const again = await call(`${OP}/api-keys/${readOnlyKeyId}`, { token: apiKey, method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ code: 'NOT_FOUND', message: 'API key not found' });
  });

  it('addKey with custom scopes, revocable by id', async () => {
    const key = 'lnc_test_' + 'C'.repeat(32);
    const id = apis.openprospect.addKey(key, ['orders:write']);
    expect((await call(`${OP}/orders`, { token: key, json: ORDER })).status).toBe(201);
    const read = await call(`${OP}/orders`, { token: key });
    expect(read.status).toBe(403);
    expect(read.body.detail).toEqual({ required_scopes: ['orders:read'], user_scopes: ['orders:write'] });
    expect((await call(`${OP}/api-keys/${id}`, { token: apiKey, method: 'DELETE' })).status).toBe(204);
    expect((await call(`${OP}/orders`, { token: key, json: ORDER })).status).toBe(401);
  });

  it('a 429 fault without a body uses the OpenProspect envelope', async () => {
    apis.openprospect.failNext(1, { status: 429, headers: { 'Retry-After': '1' } });
    const res = await call(`${OP}/orders`, { token: apiKey });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toEqual({ code: 'rate_limit_exceeded', message: 'Too many requests' });
  });
});
