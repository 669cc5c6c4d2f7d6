import { http, HttpResponse } from 'msw';
import { inspect } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AuthenticationError,
  ConfigurationError,
  NotFoundError,
  ResponseValidationError,
} from '../../src/index.js';
import { SphereScout, SPHERESCOUT_BASE_URL, type ApiKey, type CompanyList, type UserProfile } from '../../src/services/spherescout/index.js';
import { MOCK_CREDENTIALS, SPHERESCOUT_COMPANIES, createMockApis } from '../../src/testing/index.js';
import { rejection, useMockApis } from '../helpers.js';

const { apis, server, sent } = useMockApis();

const mock = apis.spherescout;
const creds = MOCK_CREDENTIALS.spherescout;
const ORIGIN = 'https://www.spherescout.io';
const withKey = () => new SphereScout({ apiKey: creds.apiKey });
const withLogin = () => new SphereScout({ username: creds.username, password: creds.password });

/** The query of a logged path as sorted [name, value] pairs. */
const queryOf = (path: string) => [...new URLSearchParams(path.split('?')[1] ?? '')].sort();
const pathOf = (path: string) => path.split('?')[0];

describe('SphereScout: default base URL', () => {
  it('a client built without baseURL sends to https://www.spherescout.io', async () => {
    const ss = withKey();
    expect(SPHERESCOUT_BASE_URL).toBe(ORIGIN);
    expect(ss.baseURL).toBe(ORIGIN);
    await ss.user.profile();
    expect(sent).toEqual([`GET ${ORIGIN}/api/user/profile`]);
    expect(mock.stats.requests).toBe(1);
  });

  it('baseURL: undefined still means the documented default', async () => {
    const ss = new SphereScout({ apiKey: creds.apiKey, baseURL: undefined });
    expect(ss.baseURL).toBe(ORIGIN);
    await ss.apiKeys.list();
    expect(sent).toEqual([`GET ${ORIGIN}/api/user/api-keys`]);
  });

  it('a given baseURL (with a path prefix) is used instead', async () => {
    const other = createMockApis({ baseURLs: { spherescout: 'https://staging.example.test/ss' } });
    server.use(...other.spherescout.handlers);
    const ss = new SphereScout({ apiKey: creds.apiKey, baseURL: 'https://staging.example.test/ss/' });
    await ss.user.profile();
    expect(sent).toEqual(['GET https://staging.example.test/ss/api/user/profile']);
    expect(other.spherescout.stats.byRoute).toEqual({ 'GET /api/user/profile': 1 });
    expect(mock.stats.requests).toBe(0);
  });
});

describe('SphereScout endpoints (API key)', () => {
  it('user.profile(): GET /api/user/profile with the key as Bearer; extra fields kept', async () => {
    const profile = await withKey().user.profile();
    expect(mock.log).toEqual([
      { method: 'GET', path: '/api/user/profile', authorization: `Bearer ***${creds.apiKey.slice(-4)}`, body: undefined },
    ]);
    // first_name / last_name are not in the schema: they must survive.
    expect(profile).toEqual({ id: 1, email: creds.username, username: creds.username, first_name: 'Demo', last_name: 'User' });
    expectTypeOf(profile).toEqualTypeOf<UserProfile>();
  });

  it('companies.list({countries, email}): GET /api/companies?countries=DE&email=true', async () => {
    const list = await withKey().companies.list({ countries: 'DE', email: true });
    expect(mock.log).toHaveLength(1);
    expect(mock.log[0]?.method).toBe('GET');
    expect(pathOf(mock.log[0]!.path)).toBe('/api/companies');
    expect(queryOf(mock.log[0]!.path)).toEqual([
      ['countries', 'DE'],
      ['email', 'true'],
    ]);
    const expected = SPHERESCOUT_COMPANIES.filter((c) => c.country === 'DE' && c.email !== undefined);
    expect(list.totalCount).toBe(expected.length);
    expect(list.results?.map((c) => c.name)).toEqual(expected.map((c) => c.name));
    expectTypeOf(list).toEqualTypeOf<CompanyList>();
  });

  it('companies.list({countries: [..]}) sends one comma-separated countries parameter', async () => {
    const list = await withKey().companies.list({ countries: ['DE', 'FR'] });
    expect(queryOf(mock.log[0]!.path)).toEqual([['countries', 'DE,FR']]);
    expect(mock.log[0]!.path).toBe('/api/companies?countries=DE%2CFR');
    expect(list.totalCount).toBe(SPHERESCOUT_COMPANIES.filter((c) => c.country === 'DE' || c.country === 'FR').length);
  });

  it('companies.list({countries: []}) sends no countries parameter (no filter), not an empty one', async () => {
    await withKey().companies.list({ countries: [], email: true });
    expect(mock.log[0]!.path).toBe('/api/companies?email=true');
  });

  it('companies.list() sends no query at all; other query fields (page) pass through', async () => {
    const ss = withKey();
    const first = await ss.companies.list();
    const second = await ss.companies.list({ page: 2 });
    expect(mock.log.map((l) => l.path)).toEqual(['/api/companies', '/api/companies?page=2']);
    expect(first.totalCount).toBe(SPHERESCOUT_COMPANIES.length);
    expect(first.results).toHaveLength(10);
    expect(second.results?.map((c) => c.name)).toEqual(SPHERESCOUT_COMPANIES.slice(10).map((c) => c.name));
  });

  it('apiKeys.list(): GET /api/user/api-keys → [{id, token_key, created, expiry}]', async () => {
    const keys = await withKey().apiKeys.list();
    expect(mock.log.map((l) => `${l.method} ${l.path}`)).toEqual(['GET /api/user/api-keys']);
    expect(keys).toEqual([{ id: creds.apiKeyId, token_key: creds.apiKey.slice(0, 8), created: '2025-01-01T00:00:00Z', expiry: null }]);
    expectTypeOf(keys).toEqualTypeOf<ApiKey[]>();
  });

  it('apiKeys.create({expiry}): POST /api/user/api-keys with that JSON body → {token, api_key}', async () => {
    const ss = withKey();
    const created = await ss.apiKeys.create({ expiry: '2027-01-01T00:00:00Z' });
    expect(mock.log).toHaveLength(1);
    expect(mock.log[0]).toMatchObject({ method: 'POST', path: '/api/user/api-keys', body: { expiry: '2027-01-01T00:00:00Z' } });
    expect(created.token).toMatch(/^ss_[A-Za-z0-9]{40}$/);
    expect(created.api_key).toEqual({
      id: expect.any(String),
      token_key: created.token.slice(0, 8),
      created: expect.any(String),
      expiry: '2027-01-01T00:00:00Z',
    });
    const keys = await ss.apiKeys.list();
    expect(keys.map((k) => k.id)).toEqual([creds.apiKeyId, created.api_key.id]);
  });

  it('apiKeys.create() without arguments sends {} (no expiry)', async () => {
    const created = await withKey().apiKeys.create();
    expect(mock.log[0]).toMatchObject({ method: 'POST', path: '/api/user/api-keys', body: {} });
    expect(created.api_key.expiry).toBeNull();
  });

  it('apiKeys.revoke(id): DELETE /api/user/api-keys/:id, 204 → undefined, and the key is gone', async () => {
    const ss = withKey();
    const created = await ss.apiKeys.create();
    const result = await ss.apiKeys.revoke(created.api_key.id);
    expect(result).toBeUndefined();
    expect(mock.log[1]).toEqual({
      method: 'DELETE',
      path: `/api/user/api-keys/${created.api_key.id}`,
      authorization: `Bearer ***${creds.apiKey.slice(-4)}`,
      body: undefined,
    });
    expect((await ss.apiKeys.list()).map((k) => k.id)).toEqual([creds.apiKeyId]);
    expect(mock.stats.byRoute).toEqual({
      'POST /api/user/api-keys': 1,
      'DELETE /api/user/api-keys/:id': 1,
      'GET /api/user/api-keys': 1,
    });
  });

  it('revoking an unknown id → NotFoundError (404) carrying the API detail', async () => {
    const error = await rejection(withKey().apiKeys.revoke('00000000-0000-4000-8000-00000000ffff'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(error.message).toContain('Not found.');
    expect(mock.stats.byRoute['DELETE /api/user/api-keys/:id']).toBe(1);
  });

  it('a revoked key (its own) then gets 401 AuthenticationError, sent once (a static key is not replayed)', async () => {
    const ss = withKey();
    await expect(ss.apiKeys.revoke(creds.apiKeyId)).resolves.toBeUndefined();
    const error = await rejection(ss.user.profile());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.code).toBe('token_not_valid');
    expect(mock.stats.byRoute['GET /api/user/profile']).toBe(1);
  });
});

describe('SphereScout schemas: extra fields survive, missing required fields are refused', () => {
  it('extra fields on rows and at top level are kept', async () => {
    server.use(
      http.get(`${ORIGIN}/api/user/api-keys`, () =>
        HttpResponse.json([{ id: 'k1', token_key: 'ss_abcde', created: '2025-01-01T00:00:00Z', expiry: null, name: 'ci', scopes: ['x'] }]),
      ),
      http.get(`${ORIGIN}/api/companies`, () =>
        HttpResponse.json({ totalCount: 1, next: null, results: [{ name: 'A', country: 'DE', employees: 12 }], facets: { DE: 1 } }),
      ),
    );
    const ss = withKey();
    const keys = await ss.apiKeys.list();
    expect(keys).toEqual([{ id: 'k1', token_key: 'ss_abcde', created: '2025-01-01T00:00:00Z', expiry: null, name: 'ci', scopes: ['x'] }]);
    const list = await ss.companies.list();
    expect(list).toEqual({ totalCount: 1, next: null, results: [{ name: 'A', country: 'DE', employees: 12 }], facets: { DE: 1 } });
  });

  it('companies without totalCount → ResponseValidationError naming the field', async () => {
    server.use(http.get(`${ORIGIN}/api/companies`, () => HttpResponse.json({ results: [] })));
    const error = await rejection(withKey().companies.list());
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.status).toBe(200);
    expect(error.issues.some((i: { path?: unknown[] }) => i.path?.includes('totalCount'))).toBe(true);
  });

  it('an api-key row without token_key → ResponseValidationError', async () => {
    server.use(
      http.get(`${ORIGIN}/api/user/api-keys`, () => HttpResponse.json([{ id: 'k1', created: '2025-01-01T00:00:00Z', expiry: null }])),
    );
    const error = await rejection(withKey().apiKeys.list());
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it('a created key without token → ResponseValidationError (the request was sent once)', async () => {
    let calls = 0;
    server.use(
      http.post(`${ORIGIN}/api/user/api-keys`, () => {
        calls++;
        return HttpResponse.json({ api_key: { id: 'k', token_key: 't', created: 'c', expiry: null } }, { status: 201 });
      }),
    );
    const error = await rejection(withKey().apiKeys.create());
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(calls).toBe(1);
  });
});

describe('SphereScout with username/password (jwt)', () => {
  it('refreshSkew is passed to jwt(): a 1 s token is renewed 0.1 s early, not at half its life (the default skew, capped)', async () => {
    mock.accessTokenLifetimeMs = 1_000;
    const early = withLogin(); // default skew 60 s, capped at half the token's life: renewed after 0.5 s
    const late = new SphereScout({ username: creds.username, password: creds.password, refreshSkew: 100 });
    await Promise.all([early.user.profile(), late.user.profile()]);
    expect([mock.stats.logins, mock.stats.refreshes]).toEqual([2, 0]);
    await new Promise((resolve) => setTimeout(resolve, 650));
    await early.user.profile();
    expect(mock.stats.refreshes).toBe(1);
    await late.user.profile();
    expect(mock.stats.refreshes).toBe(1);
  });

  it('logs in with POST /api/auth/login {username, password}, then calls with the access token', async () => {
    const ss = withLogin();
    const profile = await ss.user.profile();
    await ss.apiKeys.list();
    expect(profile.username).toBe(creds.username);
    expect(mock.stats.logins).toBe(1);
    expect(mock.stats.refreshes).toBe(0);
    expect(mock.log.map((l) => `${l.method} ${l.path}`)).toEqual([
      'POST /api/auth/login',
      'GET /api/user/profile',
      'GET /api/user/api-keys',
    ]);
    expect(mock.log[0]?.authorization).toBeUndefined();
    expect(mock.log[0]?.body).toEqual({ username: creds.username, password: `***${creds.password.slice(-4)}` });
    expect(mock.log[1]?.authorization).toMatch(/^Bearer \*\*\*.{4}$/);
  });

  it('after the access tokens expire: exactly one refresh, one replay, no second login', async () => {
    const ss = withLogin();
    await ss.user.profile();
    mock.expireAccessTokens();
    const again = await ss.user.profile();
    await ss.user.profile();
    expect(again.id).toBe(1);
    expect(mock.stats.logins).toBe(1);
    expect(mock.stats.refreshes).toBe(1);
    // first call, the 401, its replay, the last call
    expect(mock.stats.byRoute['GET /api/user/profile']).toBe(4);
    expect(mock.log.map((l) => `${l.method} ${l.path}`)).toEqual([
      'POST /api/auth/login',
      'GET /api/user/profile',
      'GET /api/user/profile',
      'POST /api/token/refresh',
      'GET /api/user/profile',
      'GET /api/user/profile',
    ]);
  });

  it('concurrent calls after expiry share the one refresh', async () => {
    const ss = withLogin();
    await ss.user.profile();
    mock.expireAccessTokens();
    await Promise.all([ss.user.profile(), ss.apiKeys.list(), ss.companies.list()]);
    expect(mock.stats.refreshes).toBe(1);
    expect(mock.stats.logins).toBe(1);
  });

  it('a wrong password → AuthenticationError from the login, and no API call is sent', async () => {
    const ss = new SphereScout({ username: creds.username, password: 'not-the-password' });
    const error = await rejection(ss.user.profile());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.message).toContain('No active account');
    expect(mock.stats.byRoute).toEqual({ 'POST /api/auth/login': 1 });
  });

  it('the password appears in no error and not in the client', async () => {
    const password = 'PW-zz9-spherescout';
    const ss = new SphereScout({ username: creds.username, password });
    const error = await rejection(ss.user.profile());
    for (const text of [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 }), inspect(ss, { depth: 10 })]) {
      expect(text).not.toContain(password);
    }
  });
});

describe('SphereScout options', () => {
  it.each([
    ['nothing', {}],
    ['apiKey undefined', { apiKey: undefined }],
    ['username without password', { username: 'u' }],
    ['password without username', { password: 'p' }],
    ['an empty apiKey', { apiKey: '' }],
    ['an apiKey with a space', { apiKey: 'ss_abc def' }],
    ['an apiKey with a line break', { apiKey: 'ss_abc\ndef' }],
  ])('%s → ConfigurationError', (_name, options) => {
    expect(() => new SphereScout(options as never)).toThrow(ConfigurationError);
    expect(mock.stats.requests).toBe(0);
  });

  it('the key check message does not show the key', () => {
    const key = 'ss_SECRETzz9 tail';
    const error = (() => {
      try {
        new SphereScout({ apiKey: key });
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    for (const text of [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain('SECRETzz9');
    }
  });
});

describe('SphereScout path parameters', () => {
  it("revoke('a/b') stays one segment: /api/user/api-keys/a%2Fb", async () => {
    const error = await rejection(withKey().apiKeys.revoke('a/b'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(mock.log.map((l) => `${l.method} ${l.path}`)).toEqual(['DELETE /api/user/api-keys/a%2Fb']);
    expect(mock.stats.byRoute).toEqual({ 'DELETE /api/user/api-keys/:id': 1 });
    expect(sent).toEqual([`DELETE ${ORIGIN}/api/user/api-keys/a%2Fb`]);
  });

  it('? and # in an id are encoded, not read as query or fragment', async () => {
    await rejection(withKey().apiKeys.revoke('x?y=1#z'));
    expect(sent).toEqual([`DELETE ${ORIGIN}/api/user/api-keys/x%3Fy%3D1%23z`]);
    expect(mock.log[0]?.path).toBe('/api/user/api-keys/x%3Fy%3D1%23z');
  });

  it.each(['..', '.', '', '%2e%2e', '%2E'])('revoke(%j) → ConfigurationError and no request', async (id) => {
    const error = await rejection(withKey().apiKeys.revoke(id));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(mock.stats.requests).toBe(0);
    expect(sent).toEqual([]);
  });
});
