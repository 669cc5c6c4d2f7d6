import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  Client,
  ConfigurationError,
  RateLimitError,
  ResponseValidationError,
  ScopeError,
  apiKey,
  jwt,
  memoryStore,
  session,
} from '../src/index.js';
import { OpenProspect } from '../src/services/openprospect/index.js';
import { ScamVerify } from '../src/services/scamverify/index.js';
import { SphereScout } from '../src/services/spherescout/index.js';
import { createMockApis } from '../src/testing/index.js';
import { rejection, thrown } from './helpers.js';

// ------------------------------------------------------------------ recognisable secrets

const KEY = 'SECRET-KEY-zz9';
const PW = 'PW-hunter2-zz9';
const SV_KEY = `sv_live_${KEY}`;
const OP_KEY = `lnc_live_${KEY}`;
/** Every secret a test here uses; tokens the server issues all contain ACCESS-zz9 / REFRESH-zz9. */
const SECRETS = [KEY, PW, 'ACCESS-zz9', 'REFRESH-zz9'];

function expectNoSecret(texts: string[]): void {
  for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
}
/** The error as a user could print or log it. */
function expectCleanError(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  expectNoSecret([(error as Error).message, String(error), JSON.stringify(error), inspect(error, { depth: 10 })]);
}
/** The client as a user could print or log it. */
function expectCleanClient(client: object): void {
  expectNoSecret([inspect(client, { depth: 10 }), JSON.stringify(client), String(client)]);
}

/** A strategy object as a user could print or log it (hidden properties included). */
const strategyRenderings = (auth: object): string[] => [
  inspect(auth, { depth: 10, showHidden: true }),
  JSON.stringify(auth) ?? '',
  String(auth),
];

// ------------------------------------------------------------------ a scripted auth server

const BASE = 'https://secure.example.test';
const state = {
  seq: 0,
  access: new Set<string>(),
  refresh: new Set<string>(),
  logins: 0,
  refreshes: 0,
  sessionLogins: 0,
  authHeaders: [] as Array<string | null>,
};
function issue(): { access: string; refresh: string } {
  state.seq++;
  const pair = { access: `ACCESS-zz9-${state.seq}`, refresh: `REFRESH-zz9-${state.seq}` };
  state.access.add(pair.access);
  state.refresh.add(pair.refresh);
  return pair;
}
const bearerOf = (request: Request) => /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
const waitOrAbort = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

const scripted = [
  http.post(`${BASE}/api/auth/login`, async ({ request }) => {
    state.logins++;
    const body = (await request.json()) as { username?: string; password?: string };
    if (body.password !== PW) {
      return HttpResponse.json({ detail: 'No active account found with the given credentials' }, { status: 401 });
    }
    return HttpResponse.json({ ...issue(), user: { id: 1 } });
  }),
  http.post(`${BASE}/api/token/refresh`, async ({ request }) => {
    state.refreshes++;
    const body = (await request.json()) as { refresh?: string };
    if (!body.refresh || !state.refresh.delete(body.refresh)) {
      return HttpResponse.json({ detail: 'Token is invalid or expired', code: 'token_not_valid' }, { status: 401 });
    }
    return HttpResponse.json(issue());
  }),
  http.post(`${BASE}/auth/login`, async ({ request }) => {
    state.sessionLogins++;
    const body = (await request.json()) as { api_key?: string };
    if (body.api_key !== KEY) return HttpResponse.json({ error: 'invalid_api_key', message: 'bad key' }, { status: 401 });
    const token = `ACCESS-zz9-session-${++state.seq}`;
    state.access.add(token);
    return HttpResponse.json({ access_token: token, expires_in: 3600, token_type: 'Bearer' });
  }),
  http.all(`${BASE}/me`, ({ request }) => {
    state.authHeaders.push(request.headers.get('authorization'));
    const token = bearerOf(request);
    if (token === KEY || (token !== undefined && state.access.has(token))) return HttpResponse.json({ ok: true });
    return HttpResponse.json({ detail: 'Given token not valid for any token type', code: 'token_not_valid' }, { status: 401 });
  }),
  http.get(`${BASE}/always-401`, ({ request }) => {
    state.authHeaders.push(request.headers.get('authorization'));
    return HttpResponse.json({ error: 'invalid_api_key', message: 'The provided API key is invalid.' }, { status: 401 });
  }),
  http.get(`${BASE}/echo`, ({ request }) =>
    HttpResponse.json(
      { error: 'bad_request', message: 'echoing your headers back' },
      {
        status: 400,
        headers: {
          authorization: request.headers.get('authorization') ?? '',
          'proxy-authorization': request.headers.get('authorization') ?? '',
          'x-request-id': 'req_echo',
        },
      },
    ),
  ),
  http.get(`${BASE}/scope`, () =>
    HttpResponse.json(
      {
        code: 'AUTHORIZATION_ERROR',
        message: 'Insufficient permissions. Required scopes: orders:write',
        detail: { required_scopes: ['orders:write'], user_scopes: ['orders:read'] },
      },
      { status: 403 },
    ),
  ),
  http.get(`${BASE}/limited`, () =>
    HttpResponse.json({ error: 'rate_limited', message: 'Too many requests' }, { status: 429, headers: { 'retry-after': '3600' } }),
  ),
  http.get(`${BASE}/network`, () => HttpResponse.error()),
  http.get(`${BASE}/slow`, async ({ request }) => {
    await waitOrAbort(400, request.signal);
    return HttpResponse.json({ late: true });
  }),
  http.get(`${BASE}/bad-shape`, () => HttpResponse.json({ n: 'not a number' })),
  http.get(`${BASE}/html`, () => new HttpResponse('<!doctype html><p>hello</p>', { status: 200, headers: { 'content-type': 'text/html' } })),
];

const mockApis = createMockApis();
const server = setupServer(...scripted, ...mockApis.handlers);
const sent: string[] = [];
server.events.on('request:start', ({ request }) => {
  sent.push(`${request.method} ${request.url}`);
});
const consoleCalls: unknown[][] = [];
beforeAll(() =>
  server.listen({
    // The redirect tests talk to real servers on 127.0.0.1 through the real fetch.
    onUnhandledRequest(request, print) {
      if (new URL(request.url).hostname === '127.0.0.1') return;
      print.error();
    },
  }),
);
beforeEach(() => {
  Object.assign(state, { seq: 0, logins: 0, refreshes: 0, sessionLogins: 0 });
  state.access.clear();
  state.refresh.clear();
  state.authHeaders.length = 0;
  sent.length = 0;
  mockApis.reset();
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleCalls.push(args);
    });
  }
});
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
});
afterAll(() => {
  server.close();
  // Nothing the SDK printed, in any test, carries a secret.
  expectNoSecret(consoleCalls.map((args) => inspect(args, { depth: 10 })));
});

const jwtClient = (password = PW, extra: Parameters<typeof jwt>[0] = {}) =>
  new Client({ baseURL: BASE, maxRetries: 0, auth: jwt({ username: 'user@example.test', password, ...extra }) });

// ------------------------------------------------------------------ errors

describe('no secret in any error the SDK produces', () => {
  it('ConfigurationError from malformed keys (service clients and Client)', () => {
    const errors = [
      thrown(() => new ScamVerify(`sv_live_${KEY} tail`)),
      thrown(() => new ScamVerify(`sv_live_${KEY}\n`)),
      thrown(() => new ScamVerify(KEY)),
      thrown(() => new ScamVerify(`sk_live_${KEY}`)),
      thrown(() => new OpenProspect(`lnc_live_${KEY}\r\nX-Injected: 1`)),
      thrown(() => new OpenProspect(`lnc_test_${KEY}`)), // test key against production
      thrown(() => new OpenProspect(KEY)),
      thrown(() => new SphereScout({ apiKey: `${KEY} ` })),
      thrown(() => new Client(`${KEY}\n`, { baseURL: BASE })),
      thrown(() => new Client(`Bearer ${KEY}`, { baseURL: BASE })),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expectCleanError(error);
    }
    expect(sent).toEqual([]);
  });

  it('ConfigurationError from bad options (insecure http, bad numbers, no baseURL)', () => {
    const errors = [
      thrown(() => new Client(KEY, { baseURL: 'http://api.example.com' })),
      thrown(() => new Client(KEY, { baseURL: BASE, maxRetries: -1 })),
      thrown(() => new Client(KEY, { baseURL: BASE, timeout: Number.NaN })),
      thrown(() => new Client(KEY, {})),
      thrown(() => new Client(KEY, { baseURL: 'not a url' })),
      thrown(() => new Client({ baseURL: 'http://api.example.com', auth: jwt({ username: 'u', password: PW }) })),
      thrown(() => new SphereScout({ username: 'u', password: PW, baseURL: 'http://api.example.com' })),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expectCleanError(error);
    }
  });

  it('ConfigurationError from a key function returning a malformed key', async () => {
    const client = new Client({ baseURL: BASE, auth: apiKey(() => `${KEY}\nX-Evil: 1`) });
    const error = await rejection(client.get('/me'));
    expect(error).toBeInstanceOf(ConfigurationError);
    expectCleanError(error);
    expect(sent).toEqual([]);
  });

  it('AuthenticationError after a failed replay (a rotated key function)', async () => {
    const keys = [KEY, `${KEY}-rotated`];
    let reads = 0;
    const client = new Client({ baseURL: BASE, auth: apiKey(() => keys[Math.min(reads++, 1)]!) });
    const error = await rejection(client.get('/always-401'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(state.authHeaders).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}-rotated`]);
    expectCleanError(error);
    expectCleanClient(client);
  });

  it('AuthenticationError after a failed replay (jwt: login, 401, refresh, 401)', async () => {
    const client = jwtClient();
    const error = await rejection(client.get('/always-401'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(state.logins).toBe(1);
    expect(state.refreshes).toBe(1);
    expect(state.authHeaders).toEqual(['Bearer ACCESS-zz9-1', 'Bearer ACCESS-zz9-2']);
    expectCleanError(error);
    expectCleanClient(client);
  });

  it('AuthenticationError from a failed login', async () => {
    const client = jwtClient(`${PW}-wrong`);
    const error = await rejection(client.get('/me'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(state.logins).toBe(1);
    expect(state.authHeaders).toEqual([]);
    expectCleanError(error);
    expect(inspect(error, { depth: 10 })).not.toContain(`${PW}-wrong`);
    expectCleanClient(client);
  });

  it('AuthenticationError from a failed session login', async () => {
    const client = new Client({ baseURL: BASE, auth: session({ apiKey: `${KEY}-unknown` }) });
    const error = await rejection(client.get('/me'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(state.sessionLogins).toBe(1);
    expectCleanError(error);
  });

  it('RateLimitError', async () => {
    const client = new Client(KEY, { baseURL: BASE, maxRetries: 0 });
    const error = await rejection(client.get('/limited'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfter).toBe(3_600_000);
    expectCleanError(error);
  });

  it('ScopeError', async () => {
    const client = new OpenProspect(OP_KEY, { baseURL: BASE });
    const error = await rejection(client.get('/scope'));
    expect(error).toBeInstanceOf(ScopeError);
    expect(error.missingScopes).toEqual(['orders:write']);
    expectCleanError(error);
  });

  it('APIConnectionError from a network fault (mocked)', async () => {
    const client = new Client(KEY, { baseURL: BASE, maxRetries: 0 });
    const error = await rejection(client.get('/network'));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(sent).toEqual([`GET ${BASE}/network`]);
    expectCleanError(error);
  });

  it('APIConnectionError from a refused connection (real fetch)', async () => {
    const closed = await listen(() => undefined);
    await closed.close();
    const client = new Client(KEY, { baseURL: closed.url, maxRetries: 0 });
    const error = await rejection(client.get('/x'));
    expect(error).toBeInstanceOf(APIConnectionError);
    expectCleanError(error);
  });

  it('APIConnectionTimeoutError', async () => {
    const client = jwtClient(PW, {});
    const timed = new Client({ baseURL: BASE, auth: KEY, timeout: 20, maxRetries: 0 });
    const error = await rejection(timed.get('/slow'));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expectCleanError(error);
    // and with a jwt token in flight
    await client.get('/me');
    const error2 = await rejection(client.get('/slow', { timeout: 20 }));
    expect(error2).toBeInstanceOf(APIConnectionTimeoutError);
    expectCleanError(error2);
  });

  it('ResponseValidationError (schema mismatch, and a non-JSON 2xx) after a jwt login', async () => {
    const client = jwtClient();
    const schema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (v: unknown) =>
          typeof (v as { n?: unknown }).n === 'number' ? { value: v } : { issues: [{ message: 'n must be a number', path: ['n'] }] },
      },
    };
    const error = await rejection(client.get('/bad-shape', { schema }));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expectCleanError(error);
    const error2 = await rejection(client.get('/html'));
    expect(error2).toBeInstanceOf(ResponseValidationError);
    expectCleanError(error2);
    expect(state.logins).toBe(1);
  });

  it('ResponseValidationError from a login answer without refresh: the access token it did carry is not shown', async () => {
    server.use(http.post(`${BASE}/api/auth/login`, () => HttpResponse.json({ access: 'ACCESS-zz9-orphan' })));
    const client = jwtClient();
    const error = await rejection(client.get('/me'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expectCleanError(error);
    expect(state.authHeaders).toEqual([]);
  });

  it('error headers show an echoed Authorization header redacted', async () => {
    const client = new Client(KEY, { baseURL: BASE });
    const error = await rejection(client.get('/echo'));
    expect(error.status).toBe(400);
    expect(error.requestID).toBe('req_echo');
    expect(error.headers.authorization).toBe('[redacted]');
    expect(error.headers['proxy-authorization']).toBe('[redacted]');
    expectCleanError(error);
  });

  it('an echoed jwt access token is redacted too', async () => {
    const client = jwtClient();
    await client.get('/me');
    const error = await rejection(client.get('/echo'));
    expect(error.headers.authorization).toBe('[redacted]');
    expectCleanError(error);
  });
});

// ------------------------------------------------------------------ clients

describe('no secret in util.inspect / JSON.stringify / String of a client', () => {
  it('apiKey string', async () => {
    const a = new Client(KEY, { baseURL: BASE });
    const b = new Client({ baseURL: BASE, auth: KEY });
    await a.get('/me');
    await b.get('/me');
    expect(state.authHeaders).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
    expectCleanClient(a);
    expectCleanClient(b);
  });

  it('apiKey function (after use)', async () => {
    const c = new Client({ baseURL: BASE, auth: apiKey(async () => KEY) });
    await c.get('/me');
    expect(state.authHeaders).toEqual([`Bearer ${KEY}`]);
    expectCleanClient(c);
  });

  it('jwt with username/password, after login and after a refresh', async () => {
    const c = jwtClient();
    expectCleanClient(c);
    await c.get('/me');
    expectCleanClient(c);
    state.access.clear(); // every access token now answers 401
    await c.get('/me');
    expect(state.logins).toBe(1);
    expect(state.refreshes).toBe(1);
    expect(state.authHeaders).toEqual(['Bearer ACCESS-zz9-1', 'Bearer ACCESS-zz9-1', 'Bearer ACCESS-zz9-2']);
    expectCleanClient(c);
  });

  it('jwt with saved tokens', async () => {
    const c = new Client({ baseURL: BASE, auth: jwt({ tokens: { access: 'ACCESS-zz9-saved', refresh: 'REFRESH-zz9-saved' } }) });
    expectCleanClient(c);
  });

  it('session (after login)', async () => {
    const c = new Client({ baseURL: BASE, auth: session({ apiKey: KEY, sessionId: 'worker-1' }) });
    await c.get('/me');
    expect(state.sessionLogins).toBe(1);
    expect(state.authHeaders).toEqual([expect.stringMatching(/^Bearer ACCESS-zz9-session-/)]);
    expectCleanClient(c);
  });

  it('each service client (after a call)', async () => {
    const ssKey = new SphereScout({ apiKey: KEY, baseURL: BASE });
    const ssLogin = new SphereScout({ username: 'user@example.test', password: PW, baseURL: BASE });
    const sv = new ScamVerify(SV_KEY, { baseURL: BASE });
    const op = new OpenProspect(OP_KEY, { baseURL: BASE });
    const svDefault = new ScamVerify(SV_KEY);
    const opDefault = new OpenProspect(OP_KEY);
    await ssKey.get('/me');
    await ssLogin.get('/me');
    await rejection(sv.get('/me'));
    await rejection(op.get('/me'));
    expect(state.logins).toBe(1);
    expect(state.authHeaders).toEqual([`Bearer ${KEY}`, 'Bearer ACCESS-zz9-1', `Bearer ${SV_KEY}`, `Bearer ${OP_KEY}`]);
    for (const c of [ssKey, ssLogin, sv, op, svDefault, opDefault]) expectCleanClient(c);
  });

  it('the strategy objects themselves (a user may log the `auth` they built), after login and refresh', async () => {
    const login = jwt({ username: 'user@example.test', password: PW });
    const saved = jwt({ tokens: { access: 'ACCESS-zz9-saved', refresh: 'REFRESH-zz9-saved' } });
    const shared = jwt({ username: 'user@example.test', password: PW, store: memoryStore() });
    const sess = session({ apiKey: KEY, sessionId: 'worker-1' });
    const keyFn = apiKey(async () => KEY);
    const keyString = apiKey(KEY);
    const strategies = [login, saved, shared, sess, keyFn, keyString];
    for (const auth of strategies) expectNoSecret(strategyRenderings(auth));
    for (const auth of [login, shared, sess, keyFn, keyString]) await new Client({ baseURL: BASE, auth }).get('/me');
    state.access.clear(); // every access token now answers 401: the jwt strategies refresh
    for (const auth of [login, shared]) await new Client({ baseURL: BASE, auth }).get('/me');
    expect(state.logins).toBe(2);
    expect(state.refreshes).toBe(2);
    expect(state.sessionLogins).toBe(1);
    for (const auth of strategies) expectNoSecret(strategyRenderings(auth));
  });

  it("the mock's request log shows credentials redacted", async () => {
    mockApis.spherescout.addUser('leak@example.test', PW);
    mockApis.spherescout.addApiKey(`ss_${KEY}`, 'leak@example.test');
    const ss = new SphereScout({ username: 'leak@example.test', password: PW });
    await ss.user.profile();
    await new SphereScout({ apiKey: `ss_${KEY}` }).user.profile();
    expect(mockApis.spherescout.stats.logins).toBe(1);
    expect(mockApis.spherescout.log).toHaveLength(3);
    expectNoSecret([JSON.stringify(mockApis.spherescout.log)]);
  });
});

// ------------------------------------------------------------------ plain http

describe('credentials never go over plain http to a remote host', () => {
  const withCredentials: Record<string, (baseURL: string, extra?: { allowInsecureHttp?: boolean }) => object> = {
    'new Client(key, opts)': (baseURL, extra) => new Client(KEY, { baseURL, ...extra }),
    'auth: string': (baseURL, extra) => new Client({ baseURL, auth: KEY, ...extra }),
    'apiKey(fn)': (baseURL, extra) => new Client({ baseURL, auth: apiKey(() => KEY), ...extra }),
    jwt: (baseURL, extra) => new Client({ baseURL, auth: jwt({ username: 'u', password: PW }), ...extra }),
    session: (baseURL, extra) => new Client({ baseURL, auth: session({ apiKey: KEY }), ...extra }),
    'SphereScout apiKey': (baseURL, extra) => new SphereScout({ apiKey: KEY, baseURL, ...extra }),
    'SphereScout login': (baseURL, extra) => new SphereScout({ username: 'u', password: PW, baseURL, ...extra }),
    ScamVerify: (baseURL, extra) => new ScamVerify(SV_KEY, { baseURL, ...extra }),
    OpenProspect: (baseURL, extra) => new OpenProspect(OP_KEY, { baseURL, ...extra }),
  };
  const cases = Object.entries(withCredentials);

  it.each(cases)('%s + http://api.example.com → ConfigurationError at construction', (_name, make) => {
    const error = thrown(() => make('http://api.example.com'));
    expect(error).toBeInstanceOf(ConfigurationError);
    expectCleanError(error);
    expect(thrown(() => make('http://api.example.com:8080/v1'))).toBeInstanceOf(ConfigurationError);
    expect(thrown(() => make('http://10.0.0.1'))).toBeInstanceOf(ConfigurationError);
    expect(thrown(() => make('http://localhost.evil.example'))).toBeInstanceOf(ConfigurationError);
  });

  it.each(cases)('%s + loopback http is fine', (_name, make) => {
    for (const url of ['http://localhost:1234', 'http://127.0.0.1:1', 'http://127.8.9.10', 'http://[::1]:80', 'http://LOCALHOST']) {
      expect(() => make(url)).not.toThrow();
    }
  });

  it.each(cases)('%s + allowInsecureHttp: true allows the remote host', (_name, make) => {
    expect(() => make('http://api.example.com', { allowInsecureHttp: true })).not.toThrow();
  });

  it('over loopback http the key is sent', async () => {
    const seen: Array<string | null> = [];
    server.use(
      http.get('http://localhost:1234/ping', ({ request }) => {
        seen.push(request.headers.get('authorization'));
        return HttpResponse.json({ ok: true });
      }),
    );
    await expect(new Client(KEY, { baseURL: 'http://localhost:1234' }).get('/ping')).resolves.toEqual({ ok: true });
    expect(seen).toEqual([`Bearer ${KEY}`]);
  });

  it('no credentials + remote http is fine (and sends no Authorization)', async () => {
    const seen: Array<string | null> = [];
    server.use(
      http.get('http://api.example.com/ping', ({ request }) => {
        seen.push(request.headers.get('authorization'));
        return HttpResponse.json({ ok: true });
      }),
    );
    const c = new Client({ baseURL: 'http://api.example.com' });
    await expect(c.get('/ping')).resolves.toEqual({ ok: true });
    expect(seen).toEqual([null]);
  });
});

// ------------------------------------------------------------------ paths

describe('a path cannot send the token elsewhere', () => {
  it.each(['https://evil.example/x', '//evil.example/x', 'HTTP://evil.example/x', 'http:evil.example/x', 'javascript:alert(1)'])(
    'path %j → ConfigurationError and nothing sent',
    async (path) => {
      for (const c of [new Client(KEY, { baseURL: BASE }), jwtClient(), new ScamVerify(SV_KEY, { baseURL: BASE })]) {
        const error = await rejection(c.get(path));
        expect(error).toBeInstanceOf(ConfigurationError);
        expectCleanError(error);
      }
      expect(sent).toEqual([]);
      expect(state.logins).toBe(0);
    },
  );

  it('backslashes and dot segments in a path stay on the API host', async () => {
    const hosts: string[] = [];
    server.use(
      http.all(`${BASE}/*`, ({ request }) => {
        hosts.push(new URL(request.url).host);
        return HttpResponse.json({});
      }),
    );
    const c = new Client(KEY, { baseURL: `${BASE}/v1` });
    for (const path of ['/\\evil.example/x', '\\\\evil.example\\x', '/../../evil.example/x', '/%2F%2Fevil.example/x']) {
      await c.get(path);
    }
    expect(hosts).toEqual(['secure.example.test', 'secure.example.test', 'secure.example.test', 'secure.example.test']);
  });
});

// ------------------------------------------------------------------ redirects (real fetch over loopback)

interface Loopback {
  url: string;
  seen: Array<{ url: string | undefined; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}
async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Loopback> {
  const seen: Loopback['seen'] = [];
  const srv = createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    req.resume();
    handler(req, res);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  const { port } = srv.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        srv.closeAllConnections();
        srv.close(() => resolve());
      }),
  };
}

describe('redirects', () => {
  let a: Loopback;
  let b: Loopback;
  beforeAll(async () => {
    b = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"from":"b"}');
    });
    a = await listen((req, res) => {
      if (req.url === '/cross') {
        res.writeHead(302, { location: `${b.url}/landing` });
        res.end();
      } else if (req.url === '/same') {
        res.writeHead(302, { location: '/landing' });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"from":"a"}');
      }
    });
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });
  beforeEach(() => {
    a.seen.length = 0;
    b.seen.length = 0;
  });

  it('a redirect to another origin (another port) does not carry Authorization', async () => {
    const c = new Client(KEY, { baseURL: a.url, maxRetries: 0 });
    await expect(c.get('/cross')).resolves.toEqual({ from: 'b' });
    expect(a.seen.map((s) => [s.url, s.headers.authorization])).toEqual([['/cross', `Bearer ${KEY}`]]);
    expect(b.seen).toHaveLength(1);
    expect(b.seen[0]?.url).toBe('/landing');
    expect(b.seen[0]?.headers.authorization).toBeUndefined();
    expectNoSecret([JSON.stringify(b.seen)]);
  });

  it('a cross-origin redirect after a jwt-style token does not carry it either', async () => {
    const c = new Client({ baseURL: a.url, maxRetries: 0, auth: apiKey(async () => 'ACCESS-zz9-redirect') });
    await c.get('/cross');
    expect(a.seen[0]?.headers.authorization).toBe('Bearer ACCESS-zz9-redirect');
    expect(b.seen).toHaveLength(1);
    expect(b.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('a same-origin redirect keeps Authorization', async () => {
    const c = new Client(KEY, { baseURL: a.url, maxRetries: 0 });
    await expect(c.get('/same')).resolves.toEqual({ from: 'a' });
    expect(a.seen.map((s) => [s.url, s.headers.authorization])).toEqual([
      ['/same', `Bearer ${KEY}`],
      ['/landing', `Bearer ${KEY}`],
    ]);
    expect(b.seen).toHaveLength(0);
  });
});
