/**
 * Property-based fault tests: a scripted server answers every attempt of every call with a
 * generated reply (200, 401, 403, 429 with valid and invalid Retry-After values, 5xx, resets,
 * hangs past the timeout, HTML, truncated JSON), while a generated set of concurrent calls
 * (any method, any strategy, aborted at a random moment) runs through one client. The
 * invariants below must hold for every case.
 *
 * `npm test` runs FUZZ_RUNS (default 200) cases from a fixed seed; `npm run test:fuzz` runs
 * thousands from a fresh seed. A failure prints the seed and the shrunk case: rerun it with
 * FUZZ_SEED=<seed> (and FUZZ_PATH=<path> from the report).
 */
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APIUserAbortError, BearerkitError, Client, type Credentials, apiKey, jwt, session } from '../../src/index.js';

const BASE = 'https://fuzz.example.test';
const TIMEOUT = 1000;
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? (process.env.FUZZ_RUNS ? Date.now() % 2 ** 31 : 20261123));
const PATH = process.env.FUZZ_PATH;

type Reply =
  | { kind: 'ok' | 'empty' | '401' | 'reset' | 'hang' | 'html' | 'truncated' }
  | { kind: '403'; scopes: boolean }
  | { kind: '429'; retryAfter?: string | undefined; retryAfterMs?: string | undefined }
  | { kind: '5xx'; status: 500 | 502 | 503 | 504; retryAfter?: string | undefined };
type AuthReply = 'ok' | '401' | '500' | 'reset' | 'no-token';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Call {
  method: Method;
  abortAt: number | undefined;
  script: Reply[];
}
interface Case {
  strategy: 'static' | 'key-function' | 'jwt' | 'session';
  maxRetries: number;
  maxRetryDelay: number;
  auth: AuthReply[];
  calls: Call[];
}

/** Retry-After values a server might send: valid, invalid, negative, huge, fractional, dates. */
const retryAfterValue = fc.oneof(
  fc.constantFrom('0', '0.05', '1', '2', '-1', '1e309', 'soon', '', '3.7', '99999', '  1  '),
  fc.integer({ min: -5, max: 5 }).map((s) => new Date(Date.now() + s * 1000).toUTCString()),
);
const reply: fc.Arbitrary<Reply> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'ok' as const }) },
  fc.constantFrom<Reply>({ kind: 'empty' }, { kind: '401' }, { kind: 'reset' }, { kind: 'hang' }, { kind: 'html' }, { kind: 'truncated' }),
  fc.record({ kind: fc.constant('403' as const), scopes: fc.boolean() }),
  fc.record(
    { kind: fc.constant('429' as const), retryAfter: retryAfterValue, retryAfterMs: fc.constantFrom('0', '30', '-5', 'x', '99999') },
    { requiredKeys: ['kind'] },
  ),
  fc.record(
    { kind: fc.constant('5xx' as const), status: fc.constantFrom(500 as const, 502 as const, 503 as const, 504 as const), retryAfter: retryAfterValue },
    { requiredKeys: ['kind', 'status'] },
  ),
);
const caseArb: fc.Arbitrary<Case> = fc.record({
  strategy: fc.constantFrom('static', 'key-function', 'jwt', 'session'),
  maxRetries: fc.integer({ min: 0, max: 3 }),
  maxRetryDelay: fc.constantFrom(0, 50, 1000, 60_000),
  auth: fc.array(fc.constantFrom<AuthReply>('ok', 'ok', '401', '500', 'reset', 'no-token'), { maxLength: 4 }),
  calls: fc.array(
    fc.record({
      method: fc.constantFrom<Method>('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
      abortAt: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
      script: fc.array(reply, { maxLength: 6 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

/** What the scripted server saw of one attempt. */
interface Attempt {
  arrived: number;
  /** When the client stopped waiting for it: the reply time, or arrival + TIMEOUT for a hang. */
  answered: number;
  reply: Reply['kind'];
  token: string | undefined;
}

// --- the scripted server -------------------------------------------------------------------
let current: Case;
let attempts: Map<string, Attempt[]>;
let authIndex = 0;
let issued = 0;
let keyReads = 0;
let rejectedTokens = new Set<string>();
let handlerDelays = 0;

function handlerDelay(ms: number): Promise<void> {
  handlerDelays++;
  return new Promise((resolve) =>
    setTimeout(() => {
      handlerDelays--;
      resolve();
    }, ms),
  );
}

function respond(r: Reply): Response {
  switch (r.kind) {
    case 'ok':
      return HttpResponse.json({ ok: true });
    case 'empty':
      return new HttpResponse(null, { status: 204 });
    case '401':
      return HttpResponse.json({ detail: 'Given token not valid for any token type', code: 'token_not_valid' }, { status: 401 });
    case '403':
      return r.scopes
        ? HttpResponse.json(
            { code: 'AUTHORIZATION_ERROR', message: 'Insufficient permissions', detail: { required_scopes: ['a:w'], user_scopes: ['a:r'] } },
            { status: 403 },
          )
        : HttpResponse.json({ detail: 'You do not have permission' }, { status: 403 });
    case '429': {
      const headers: Record<string, string> = {};
      if (r.retryAfter !== undefined) headers['retry-after'] = r.retryAfter;
      if (r.retryAfterMs !== undefined) headers['retry-after-ms'] = r.retryAfterMs;
      return HttpResponse.json({ code: 'rate_limit_exceeded', message: 'Too many requests' }, { status: 429, headers });
    }
    case '5xx':
      return new HttpResponse('<html><body>Bad gateway</body></html>', {
        status: r.status,
        headers: r.retryAfter === undefined ? {} : { 'retry-after': r.retryAfter },
      });
    case 'html':
      return new HttpResponse('<!doctype html><p>hello</p>', { headers: { 'content-type': 'text/html' } });
    case 'truncated':
      return new HttpResponse('{"ok": tr', { headers: { 'content-type': 'application/json' } });
    default:
      throw new Error(`unscripted ${r.kind}`);
  }
}

function nextAuth(): AuthReply {
  return current.auth[authIndex++] ?? 'ok';
}

function authResponse(field: 'access' | 'access_token'): Response {
  const r = nextAuth();
  if (r === 'reset') return HttpResponse.error();
  if (r === '401') return HttpResponse.json({ detail: 'Token is invalid or expired', code: 'token_not_valid' }, { status: 401 });
  if (r === '500') return HttpResponse.json({ detail: 'down' }, { status: 500 });
  if (r === 'no-token') return HttpResponse.json({ refresh: 'R' });
  issued++;
  const token = `T${issued}`;
  return field === 'access'
    ? HttpResponse.json({ access: token, refresh: `R${issued}` })
    : HttpResponse.json({ access_token: token, expires_in: 3600, token_type: 'Bearer' });
}

const server = setupServer(
  http.post(`${BASE}/api/auth/login`, () => authResponse('access')),
  http.post(`${BASE}/api/token/refresh`, () => authResponse('access')),
  http.post(`${BASE}/auth/login`, () => authResponse('access_token')),
  http.all(`${BASE}/r/:id`, async ({ request, params }) => {
    const id = String(params.id);
    const list = attempts.get(id) ?? [];
    attempts.set(id, list);
    const call = current.calls[Number(id)];
    const r = call?.script[list.length] ?? { kind: 'ok' as const };
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
    const entry: Attempt = { arrived: Date.now(), answered: Date.now(), reply: r.kind, token };
    list.push(entry);
    if (r.kind === '401' && token !== undefined) rejectedTokens.add(token);
    if (r.kind === 'reset') return HttpResponse.error();
    if (r.kind === 'hang') {
      entry.answered = Date.now() + TIMEOUT;
      await handlerDelay(TIMEOUT * 10);
      return HttpResponse.json({ late: true });
    }
    return respond(r);
  }),
);

function credentials(strategy: Case['strategy']): Credentials | undefined {
  switch (strategy) {
    case 'static':
      return apiKey('static-key');
    case 'key-function':
      return apiKey(() => {
        issued++;
        keyReads++;
        return `K${keyReads}`;
      });
    case 'jwt':
      return jwt({ username: 'u', password: 'p' });
    case 'session':
      return session({ apiKey: 'sess' });
  }
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  server.close();
  process.off('unhandledRejection', onUnhandled);
});

const realTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function runCase(c: Case): Promise<void> {
  current = c;
  attempts = new Map();
  authIndex = 0;
  issued = 0;
  keyReads = 0;
  rejectedTokens = new Set();
  handlerDelays = 0;
  unhandled.length = 0;

  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  try {
    const client = new Client({
      baseURL: BASE,
      auth: credentials(c.strategy),
      maxRetries: c.maxRetries,
      maxRetryDelay: c.maxRetryDelay,
      timeout: TIMEOUT,
    });
    let pendingAborts = 0;
    const outcomes = c.calls.map((call, index) => {
      const controller = new AbortController();
      const state = {
        settled: false,
        settledAt: 0,
        abortedAt: undefined as number | undefined,
        value: undefined as unknown,
        error: undefined as unknown,
      };
      if (call.abortAt !== undefined) {
        pendingAborts++;
        setTimeout(() => {
          pendingAborts--;
          if (!state.settled) state.abortedAt = Date.now();
          controller.abort();
        }, call.abortAt);
      }
      const json = call.method === 'GET' || call.method === 'DELETE' ? undefined : { n: index };
      client.request(call.method, `/r/${index}`, { json, signal: controller.signal }).then(
        (value) => Object.assign(state, { settled: true, settledAt: Date.now(), value }),
        (error: unknown) => Object.assign(state, { settled: true, settledAt: Date.now(), error }),
      );
      return state;
    });

    // Drive time: let in-process I/O run in real time, then jump fake time to the next timer.
    for (let step = 0; step < 5000 && outcomes.some((o) => !o.settled); step++) {
      for (let i = 0; i < 4; i++) await realTick();
      if (outcomes.every((o) => o.settled)) break;
      if (vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync();
    }
    for (let i = 0; i < 4; i++) await realTick();

    // Every call settles, once, with a value or a BearerkitError.
    outcomes.forEach((o, index) => {
      expect(o.settled, `call ${index} never settled`).toBe(true);
      if (o.error !== undefined) expect(o.error, `call ${index} rejected with a non-BearerkitError`).toBeInstanceOf(BearerkitError);
    });

    c.calls.forEach((call, index) => {
      const seen = attempts.get(String(index)) ?? [];
      const o = outcomes[index]!;
      // Attempt bound: 1 + maxRetries + the one 401 replay.
      expect(seen.length).toBeLessThanOrEqual(1 + c.maxRetries + 1);
      // POST and PATCH are never resent after a 5xx, a reset or a timeout.
      if (call.method === 'POST' || call.method === 'PATCH') {
        const unsafe = seen.findIndex((a) => a.reply === '5xx' || a.reply === 'reset' || a.reply === 'hang');
        if (unsafe !== -1) expect(seen.length, `${call.method} resent after ${seen[unsafe]?.reply}`).toBe(unsafe + 1);
      }
      // No wait between attempts is longer than maxRetryDelay.
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i]!.arrived - seen[i - 1]!.answered).toBeLessThanOrEqual(c.maxRetryDelay);
      }
      // An abort settles the call at once (no time passes), as APIUserAbortError.
      if (o.abortedAt !== undefined) {
        expect(o.settledAt).toBe(o.abortedAt);
        expect(o.error).toBeInstanceOf(APIUserAbortError);
      }
    });

    // At most one renewal per rejected credential, however many calls waited on it.
    if (c.strategy !== 'static') expect(issued).toBeLessThanOrEqual(1 + rejectedTokens.size);
    expect(unhandled).toEqual([]);
    // No timer of the SDK is left behind once every call has settled.
    expect(vi.getTimerCount() - handlerDelays - pendingAborts).toBe(0);
  } finally {
    vi.clearAllTimers();
    vi.useRealTimers();
  }
}

describe('pipeline under generated faults', () => {
  it(`holds every invariant (${RUNS} cases, seed ${SEED})`, async () => {
    await fc.assert(fc.asyncProperty(caseArb, runCase), {
      numRuns: RUNS,
      seed: SEED,
      ...(PATH ? { path: PATH } : {}),
      endOnFailure: false,
    });
  }, 600_000);
});
