import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthenticationError, Client, session } from '../../src/index.js';
import { MOCK_CREDENTIALS, createMockApis } from '../../src/testing/index.js';
import { rejection } from '../helpers.js';

const apis = createMockApis();
const server = setupServer(...apis.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => apis.reset());
afterEach(() => vi.useRealTimers());
afterAll(() => server.close());

const mock = apis.session;
const makeClient = (options: Partial<Parameters<typeof session>[0]> = {}) =>
  new Client({ baseURL: mock.baseURL, auth: session({ apiKey: MOCK_CREDENTIALS.session.apiKey, ...options }) });

describe('session()', () => {
  it('logs in once with {api_key, session_id} and uses access_token', async () => {
    const c = makeClient({ sessionId: 'worker-7' });
    const me = await c.get('/v1/me');
    await c.get('/v1/me');
    expect(me).toMatchObject({ session_id: 'worker-7' });
    expect(mock.stats.logins).toBe(1);
    expect(mock.log[0]?.body).toMatchObject({ session_id: 'worker-7' });
    expect(JSON.stringify(mock.log)).not.toContain(MOCK_CREDENTIALS.session.apiKey);
  });

  it('renews refreshSkew before expires_in runs out, without a 401', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    mock.tokenLifetimeSec = 7200;
    const c = makeClient({ refreshSkew: 60_000 });
    await c.get('/v1/me');
    vi.setSystemTime(Date.now() + (7200 - 30) * 1000); // 30 s left: inside the 60 s skew
    await c.get('/v1/me');
    expect(mock.stats.logins).toBe(2);
    expect(mock.stats.byRoute['GET /v1/me']).toBe(2); // no 401, no replay
  });

  it('when the early renewal gets the same token back, it is kept until it expires: no login storm', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    mock.tokenLifetimeSec = 7200;
    const c = makeClient({ refreshSkew: 60_000 });
    await c.get('/v1/me');
    const start = Date.now();
    vi.setSystemTime(start + (7200 - 50) * 1000); // inside the skew: renews, but the API answers with the same token
    for (let i = 0; i < 10; i++) {
      await c.get('/v1/me');
      vi.setSystemTime(Date.now() + 4000); // 40 s of calls, all before the token expires
    }
    expect(mock.stats.logins).toBe(2);
    vi.setSystemTime(start + 7201 * 1000); // expired now: one more login, a new token, no 401
    await c.get('/v1/me');
    await c.get('/v1/me');
    expect(mock.stats.logins).toBe(3);
    expect(mock.stats.byRoute['GET /v1/me']).toBe(13);
  });

  it('a short-lived token is not renewed on every call (skew capped at half the lifetime)', async () => {
    mock.tokenLifetimeSec = 60; // shorter than... the 60 s default skew plus a margin
    const c = makeClient({ refreshSkew: 120_000 });
    for (let i = 0; i < 5; i++) await c.get('/v1/me');
    expect(mock.stats.logins).toBe(1);
  });

  it('on 401 logs in once and replays once; concurrent calls share the login', async () => {
    const c = makeClient({ sessionId: 's1' });
    await c.get('/v1/me');
    mock.expireTokens();
    await Promise.all(Array.from({ length: 20 }, () => c.get('/v1/me')));
    expect(mock.stats.logins).toBe(2);
    expect(mock.stats.byRoute['GET /v1/me']).toBe(1 + 20 + 20);
  });

  it('an unknown api key fails the login with AuthenticationError and sends no request', async () => {
    const c = new Client({ baseURL: mock.baseURL, auth: session({ apiKey: 'sess_unknown' }) });
    const error = await rejection(c.get('/v1/me'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe('invalid_api_key');
    expect(mock.stats.byRoute['GET /v1/me']).toBeUndefined();
  });
});
