import { afterEach, describe, expect, it, vi } from 'vitest';
import { MOCK_CREDENTIALS, decodeJwtPayload } from '../../src/testing/index.js';
import { call, useMockApis } from './support.js';

const apis = useMockApis();
const SS = 'https://www.spherescout.io';
const { username, password, apiKey, apiKeyId } = MOCK_CREDENTIALS.spherescout;

async function login(): Promise<{ access: string; refresh: string }> {
  const res = await call(`${SS}/api/auth/login`, { json: { username, password } });
  expect(res.status).toBe(200);
  return res.body;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SphereScout mock: JWT', () => {
  it('login -> profile -> expiry -> 401 -> refresh with rotation -> old refresh rejected', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));

    const res = await call(`${SS}/api/auth/login`, { json: { username, password } });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ id: 1, email: username, username });
    const { access, refresh } = res.body as { access: string; refresh: string };
    expect(access.split('.')).toHaveLength(3);
    const claims = decodeJwtPayload(access);
    expect(claims).toMatchObject({ token_type: 'access', exp: Date.parse('2026-01-01T00:05:00Z') / 1000 });
    expect(typeof claims?.jti).toBe('string');

    const profile = await call(`${SS}/api/user/profile`, { token: access });
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({ id: 1, email: username, username, first_name: 'Demo', last_name: 'User' });

    vi.setSystemTime(new Date('2026-01-01T00:04:59Z'));
    expect((await call(`${SS}/api/user/profile`, { token: access })).status).toBe(200);
    vi.setSystemTime(new Date('2026-01-01T00:05:00Z'));
    const expired = await call(`${SS}/api/user/profile`, { token: access });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ detail: 'Given token not valid for any token type', code: 'token_not_valid' });

    const refreshed = await call(`${SS}/api/token/refresh`, { json: { refresh } });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual(['access', 'refresh']);
    expect(refreshed.body.refresh).not.toBe(refresh);
    expect((await call(`${SS}/api/user/profile`, { token: refreshed.body.access })).status).toBe(200);

    const reuse = await call(`${SS}/api/token/refresh`, { json: { refresh } });
    expect(reuse.status).toBe(401);
    expect(reuse.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });

    const again = await call(`${SS}/api/token/refresh`, { json: { refresh: refreshed.body.refresh } });
    expect(again.status).toBe(200);
    expect(apis.spherescout.stats.logins).toBe(1);
    expect(apis.spherescout.stats.refreshes).toBe(3);
  });

  it('expireAccessTokens() and a settable lifetime', async () => {
    apis.spherescout.accessTokenLifetimeMs = 1_000;
    const { access } = await login();
    const exp = decodeJwtPayload(access)?.exp as number;
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(1_000);
    expect((await call(`${SS}/api/user/profile`, { token: access })).status).toBe(200);
    apis.spherescout.expireAccessTokens();
    expect((await call(`${SS}/api/user/profile`, { token: access })).status).toBe(401);
    // reset() restores the configured lifetime
    apis.spherescout.reset();
    expect(apis.spherescout.accessTokenLifetimeMs).toBe(300_000);
  });

  it('rejects bad logins, unknown and revoked refresh tokens, missing fields', async () => {
    const bad = await call(`${SS}/api/auth/login`, { json: { username, password: 'nope' } });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ detail: 'No active account found with the given credentials' });

    const missing = await call(`${SS}/api/auth/login`, { json: { username } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ password: ['This field is required.'] });

    const unknown = await call(`${SS}/api/token/refresh`, { json: { refresh: 'a.b.c' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });

    const { refresh } = await login();
    apis.spherescout.revokeRefreshTokens();
    const revoked = await call(`${SS}/api/token/refresh`, { json: { refresh } });
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('token_not_valid');
  });

  it('refresh tokens expire after refreshTokenLifetimeMs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { refresh } = await login();
    vi.setSystemTime(Date.now() + 86_400_000);
    const res = await call(`${SS}/api/token/refresh`, { json: { refresh } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
  });

  it('answers 401 "not provided" without an Authorization header, and token_not_valid for junk', async () => {
    const none = await call(`${SS}/api/user/profile`);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    const junk = await call(`${SS}/api/user/profile`, { token: 'not-a-token' });
    expect(junk.status).toBe(401);
    expect(junk.body).toEqual({ detail: 'Given token not valid for any token type', code: 'token_not_valid' });
  });
});

describe('SphereScout mock: rotation off', () => {
  it('answers {access} only and the refresh token keeps working', async () => {
    apis.spherescout.rotateRefreshTokens = false;
    const { refresh } = await login();
    for (let i = 0; i < 2; i += 1) {
      const res = await call(`${SS}/api/token/refresh`, { json: { refresh } });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['access']);
    }
  });
});

describe('SphereScout mock: API keys and data', () => {
  it('list / create / revoke lifecycle', async () => {
    const list = await call(`${SS}/api/user/api-keys`, { token: apiKey });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([{ id: apiKeyId, token_key: apiKey.slice(0, 8), created: '2025-01-01T00:00:00Z', expiry: null }]);

    const created = await call(`${SS}/api/user/api-keys`, { token: apiKey, json: { expiry: '2099-01-01T00:00:00Z' } });
    expect(created.status).toBe(201);
    const { token, api_key: meta } = created.body as { token: string; api_key: Record<string, unknown> };
    expect(meta).toMatchObject({ token_key: token.slice(0, 8), expiry: '2099-01-01T00:00:00Z' });
    expect(typeof meta.id).toBe('string');
    expect(Number.isNaN(Date.parse(meta.created as string))).toBe(false);

    expect((await call(`${SS}/api/user/profile`, { token })).status).toBe(200);
    const after = await call(`${SS}/api/user/api-keys`, { token });
    expect(after.body.map((k: { id: string }) => k.id)).toEqual([apiKeyId, meta.id]);

    const revoked = await call(`${SS}/api/user/api-keys/${meta.id as string}`, { token: apiKey, method: 'DELETE' });
    expect(revoked.status).toBe(204);
    expect(revoked.body).toBeUndefined();
    const dead = await call(`${SS}/api/user/profile`, { token });
    expect(dead.status).toBe(401);
    expect(dead.body.code).toBe('token_not_valid');

    const again = await call(`${SS}/api/user/api-keys/${meta.id as string}`, { token: apiKey, method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ detail: 'Not found.' });
    expect(apis.spherescout.stats.byRoute['DELETE /api/user/api-keys/:id']).toBe(2);
  });

  it('a created key with no body has no expiry; a past expiry key does not work; bad expiry is 400', async () => {
    const plain = await call(`${SS}/api/user/api-keys`, { token: apiKey, method: 'POST' });
    expect(plain.status).toBe(201);
    expect(plain.body.api_key.expiry).toBeNull();
    const past = await call(`${SS}/api/user/api-keys`, { token: apiKey, json: { expiry: '2000-01-01T00:00:00Z' } });
    expect((await call(`${SS}/api/user/profile`, { token: past.body.token })).status).toBe(401);
    const bad = await call(`${SS}/api/user/api-keys`, { token: apiKey, json: { expiry: 'tomorrow' } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body)).toEqual(['expiry']);
  });

  it('revoking the seeded key is undone by reset(); added users and keys survive reset()', async () => {
    expect((await call(`${SS}/api/user/api-keys/${apiKeyId}`, { token: apiKey, method: 'DELETE' })).status).toBe(204);
    expect((await call(`${SS}/api/user/profile`, { token: apiKey })).status).toBe(401);
    const id = apis.spherescout.addUser('other@example.com', 'other-password-1');
    const keyId = apis.spherescout.addApiKey('ss_added_key_for_other_user_0001', 'other@example.com');
    apis.spherescout.reset();
    expect((await call(`${SS}/api/user/profile`, { token: apiKey })).status).toBe(200);
    const other = await call(`${SS}/api/user/profile`, { token: 'ss_added_key_for_other_user_0001' });
    expect(other.body).toMatchObject({ id, email: 'other@example.com' });
    const keys = await call(`${SS}/api/user/api-keys`, { token: 'ss_added_key_for_other_user_0001' });
    expect(keys.body.map((k: { id: string }) => k.id)).toEqual([keyId]);
    // a user cannot revoke another user's key
    expect((await call(`${SS}/api/user/api-keys/${keyId}`, { token: apiKey, method: 'DELETE' })).status).toBe(404);
    const logged = await login();
    expect(logged.access).toBeTypeOf('string');
    const otherLogin = await call(`${SS}/api/auth/login`, { json: { username: 'other@example.com', password: 'other-password-1' } });
    expect(otherLogin.body.user.id).toBe(id);
  });

  it('companies: filtered by countries and email, paged', async () => {
    const de = await call(`${SS}/api/companies?countries=DE&email=true`, { token: apiKey });
    expect(de.status).toBe(200);
    expect(de.body.totalCount).toBe(4);
    expect(de.body.results).toHaveLength(4);
    for (const c of de.body.results) {
      expect(c.country).toBe('DE');
      expect(c.email).toMatch(/@/);
    }
    const deAll = await call(`${SS}/api/companies?countries=de`, { token: apiKey });
    expect(deAll.body.totalCount).toBe(5);
    const two = await call(`${SS}/api/companies?countries=US,GB`, { token: apiKey });
    expect(two.body.totalCount).toBe(5);
    const all = await call(`${SS}/api/companies`, { token: apiKey });
    expect(all.body).toMatchObject({ totalCount: 12 });
    expect(all.body.results).toHaveLength(10);
    const page2 = await call(`${SS}/api/companies?page=2`, { token: apiKey });
    expect(page2.body.results).toHaveLength(2);
    const badPage = await call(`${SS}/api/companies?page=0`, { token: apiKey });
    expect(badPage.status).toBe(404);
    expect((await call(`${SS}/api/companies?countries=DE`)).status).toBe(401);
  });

  it('unknown routes are 404 and wrong methods 405, in the API envelope', async () => {
    const missing = await call(`${SS}/api/nothing-here`, { token: apiKey });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: 'Not found.' });
    const wrong = await call(`${SS}/api/user/profile`, { token: apiKey, method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(apis.spherescout.stats.byRoute).toEqual({ 'GET *': 1, 'PUT *': 1 });
  });
});
