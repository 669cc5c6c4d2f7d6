import { afterEach, describe, expect, it, vi } from 'vitest';
import { MOCK_CREDENTIALS } from '../../src/testing/index.js';
import { call, useMockApis } from './support.js';

const apis = useMockApis({ sessionTokenLifetimeSec: 100 });
const S = 'https://session.bearerkit.test';
const { apiKey } = MOCK_CREDENTIALS.session;

afterEach(() => {
  vi.useRealTimers();
});

describe('session API mock', () => {
  it('returns the same token while valid, a new one after expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const first = await call(`${S}/auth/login`, { json: { api_key: apiKey } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ expires_in: 100, token_type: 'Bearer' });
    const token = first.body.access_token as string;

    vi.setSystemTime(new Date('2026-01-01T00:00:30Z'));
    const second = await call(`${S}/auth/login`, { json: { api_key: apiKey } });
    expect(second.body).toEqual({ access_token: token, expires_in: 70, token_type: 'Bearer' });

    const me = await call(`${S}/v1/me`, { token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ session_id: null, expires_in: 70 });

    vi.setSystemTime(new Date('2026-01-01T00:01:40Z'));
    const expired = await call(`${S}/v1/me`, { token });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: 'token_expired', message: 'Token expired' });

    const third = await call(`${S}/auth/login`, { json: { api_key: apiKey } });
    expect(third.body.access_token).not.toBe(token);
    expect(third.body.expires_in).toBe(100);
    expect((await call(`${S}/v1/me`, { token: third.body.access_token })).status).toBe(200);
    expect(apis.session.stats.logins).toBe(3);
  });

  it('a session_id gets its own token; expireTokens() forces new ones', async () => {
    const plain = await call(`${S}/auth/login`, { json: { api_key: apiKey } });
    const a = await call(`${S}/auth/login`, { json: { api_key: apiKey, session_id: 'worker-a' } });
    const a2 = await call(`${S}/auth/login`, { json: { api_key: apiKey, session_id: 'worker-a' } });
    const b = await call(`${S}/auth/login`, { json: { api_key: apiKey, session_id: 'worker-b' } });
    expect(a.body.access_token).not.toBe(plain.body.access_token);
    expect(a2.body.access_token).toBe(a.body.access_token);
    expect(b.body.access_token).not.toBe(a.body.access_token);
    expect((await call(`${S}/v1/me`, { token: a.body.access_token })).body.session_id).toBe('worker-a');

    apis.session.expireTokens();
    expect((await call(`${S}/v1/me`, { token: a.body.access_token })).status).toBe(401);
    const a3 = await call(`${S}/auth/login`, { json: { api_key: apiKey, session_id: 'worker-a' } });
    expect(a3.body.access_token).not.toBe(a.body.access_token);
  });

  it('tokenLifetimeSec is settable; unknown keys and bad bodies are rejected', async () => {
    apis.session.tokenLifetimeSec = 5;
    const short = await call(`${S}/auth/login`, { json: { api_key: apiKey } });
    expect(short.body.expires_in).toBe(5);

    const unknown = await call(`${S}/auth/login`, { json: { api_key: 'nope' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ error: 'invalid_api_key', message: 'Invalid API key' });
    const missing = await call(`${S}/auth/login`, { json: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
    const junk = await call(`${S}/v1/me`, { token: 'junk' });
    expect(junk.status).toBe(401);
    expect(junk.body).toEqual({ error: 'token_expired', message: 'Token expired' });

    apis.session.addKey('sess_added_key_000000000');
    expect((await call(`${S}/auth/login`, { json: { api_key: 'sess_added_key_000000000' } })).status).toBe(200);
  });
});
