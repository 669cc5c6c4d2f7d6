import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIUserAbortError,
  AuthenticationError,
  Client,
  InternalServerError,
  RateLimitError,
} from '../src/index.js';
import { parseRetryAfter } from '../src/retry-after.js';
import { BASE, json, rejection, status, useScriptedServer } from './helpers.js';

const { script } = useScriptedServer();
const ok = json({ ok: true });

function client(options: Partial<ConstructorParameters<typeof Client>[1]> = {}) {
  return new Client('key_123', { baseURL: BASE, ...options });
}

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  const h = (init: Record<string, string>) => new Headers(init);

  it('reads delta-seconds, fractions included', () => {
    expect(parseRetryAfter(h({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(h({ 'retry-after': '0.5' }), now)).toBe(500);
  });
  it('reads an HTTP-date, and a past date as 0', () => {
    expect(parseRetryAfter(h({ 'retry-after': 'Mon, 23 Nov 2026 10:00:03 GMT' }), now)).toBe(3000);
    expect(parseRetryAfter(h({ 'retry-after': 'Mon, 23 Nov 2026 09:00:00 GMT' }), now)).toBe(0);
  });
  it('lets retry-after-ms win over Retry-After', () => {
    expect(parseRetryAfter(h({ 'retry-after': '30', 'retry-after-ms': '250' }), now)).toBe(250);
  });
  it('reads garbage, negative and missing values as unknown', () => {
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': '-3' }), now)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after-ms': 'x' }), now)).toBeUndefined();
    expect(parseRetryAfter(h({}), now)).toBeUndefined();
  });
});

describe('429', () => {
  it('waits as Retry-After (seconds) says, then succeeds', async () => {
    const seen = script('/r', [status(429, { 'retry-after': '0.2' }), ok]);
    const started = performance.now();
    await expect(client().get('/r')).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('waits as retry-after-ms says, over Retry-After', async () => {
    const seen = script('/r', [status(429, { 'retry-after': '30', 'retry-after-ms': '50' }), ok]);
    await expect(client().get('/r')).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(2);
  });

  it('honours an HTTP-date Retry-After (a past date: retry at once)', async () => {
    const seen = script('/r', [status(429, { 'retry-after': new Date(Date.now() - 5000).toUTCString() }), ok]);
    await expect(client().get('/r')).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(2);
  });

  it('retries any method, POST included: the request was not processed', async () => {
    const seen = script('/r', [status(429, { 'retry-after-ms': '10' }), json({ id: 1 }, 201)]);
    await expect(client().post('/r', { json: { a: 1 } })).resolves.toEqual({ id: 1 });
    expect(seen.map((s) => s.method)).toEqual(['POST', 'POST']);
    expect(seen[1]?.body).toBe(seen[0]?.body);
  });

  it('throws RateLimitError at once when Retry-After is over maxRetryDelay', async () => {
    const seen = script('/r', [status(429, { 'retry-after': '120' }), ok]);
    const started = performance.now();
    const error = await rejection(client({ maxRetryDelay: 1000 }).get('/r'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfter).toBe(120_000);
    expect(error.status).toBe(429);
    expect(seen).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('gives up after maxRetries with RateLimitError: 1 + maxRetries attempts', async () => {
    const seen = script('/r', [status(429, { 'retry-after-ms': '5' })]);
    const error = await rejection(client({ maxRetries: 3 }).get('/r'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfter).toBe(5);
    expect(seen).toHaveLength(4);
  });

  it('maxRetries 0 sends once', async () => {
    const seen = script('/r', [status(429, { 'retry-after-ms': '5' })]);
    expect(await rejection(client({ maxRetries: 0 }).get('/r'))).toBeInstanceOf(RateLimitError);
    expect(seen).toHaveLength(1);
  });
});

describe('5xx and network errors', () => {
  it('retries GET on 502, 503 and 504', async () => {
    const seen = script('/r', [
      status(502, { 'retry-after-ms': '1' }),
      status(503, { 'retry-after-ms': '1' }),
      status(504, { 'retry-after-ms': '1' }),
      ok,
    ]);
    // 502/504 ignore Retry-After (backoff); keep the suite fast with maxRetries 3 and real waits of < 2 s.
    await expect(client({ maxRetries: 3 }).get('/r')).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(4);
  });

  it('does not retry 500: a server bug, not a passing fault', async () => {
    const seen = script('/r', [status(500), ok]);
    expect(await rejection(client().get('/r'))).toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(1);
  });

  it('does not resend POST or PATCH after a 503', async () => {
    for (const method of ['post', 'patch'] as const) {
      const seen = script('/w', [status(503, { 'retry-after-ms': '1' }), ok]);
      const error = await rejection(client()[method]('/w', { json: { n: 1 } }));
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error.status).toBe(503);
      expect(seen).toHaveLength(1);
    }
  });

  it('does not resend POST after a network error', async () => {
    const seen = script('/w', ['network', ok]);
    expect(await rejection(client().post('/w', { json: {} }))).toBeInstanceOf(APIConnectionError);
    expect(seen).toHaveLength(1);
  });

  it('retries GET after a network error, with backoff', async () => {
    const seen = script('/r', ['network', ok]);
    const started = performance.now();
    await expect(client({ maxRetries: 1 }).get('/r')).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    // backoff: 500 ms, less up to 25% jitter
    expect(performance.now() - started).toBeGreaterThanOrEqual(370);
  });

  it('throws a 503 whose Retry-After is over maxRetryDelay at once', async () => {
    const seen = script('/r', [status(503, { 'retry-after': '3600' }), ok]);
    const error = await rejection(client({ maxRetryDelay: 10_000 }).get('/r'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(1);
  });

  it('gives up after maxRetries with InternalServerError', async () => {
    const seen = script('/r', [status(503, { 'retry-after-ms': '1' })]);
    const error = await rejection(client({ maxRetries: 2 }).get('/r'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(3);
  });
});

describe('abort', () => {
  it('rejects at once when aborted during a Retry-After wait', async () => {
    const seen = script('/r', [status(429, { 'retry-after': '30' }), ok]);
    const controller = new AbortController();
    const pending = client().get('/r', { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    controller.abort();
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(performance.now() - started).toBeLessThan(200);
    expect(seen).toHaveLength(1);
  });

  it('rejects with APIUserAbortError when the signal is already aborted, sending nothing', async () => {
    const seen = script('/r', [ok]);
    const error = await rejection(client().get('/r', { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(seen).toHaveLength(0);
  });

  it('aborts a request in flight', async () => {
    const seen = script('/slow', [
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        return json({ late: true });
      },
    ]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    expect(await rejection(client().get('/slow', { signal: controller.signal }))).toBeInstanceOf(APIUserAbortError);
    expect(seen).toHaveLength(1);
  });
});

describe('attempt bound', () => {
  it('is at most 1 + maxRetries + 1 (the single 401 replay)', async () => {
    let n = 0;
    const rotating = new Client({ baseURL: BASE, auth: { token: () => `t${n}`, renew: async () => `t${++n}` }, maxRetries: 2 });
    const seen = script('/r', [
      status(429, { 'retry-after-ms': '1' }),
      status(401),
      status(429, { 'retry-after-ms': '1' }),
      status(429, { 'retry-after-ms': '1' }),
      status(401),
    ]);
    expect(await rejection(rotating.get('/r'))).toBeInstanceOf(RateLimitError);
    expect(seen).toHaveLength(4);
    expect(n).toBe(1);
  });

  it('a second 401 after the replay is AuthenticationError', async () => {
    let renewals = 0;
    const c = new Client({ baseURL: BASE, auth: { token: () => 'old', renew: async () => (renewals++, 'new') } });
    const seen = script('/r', [status(401)]);
    expect(await rejection(c.get('/r'))).toBeInstanceOf(AuthenticationError);
    expect(seen).toHaveLength(2);
    expect(renewals).toBe(1);
    expect(seen.map((s) => s.headers.get('authorization'))).toEqual(['Bearer old', 'Bearer new']);
  });

  it('a retried request sends the same method, URL, headers and body', async () => {
    const seen = script('/r', [status(429, { 'retry-after-ms': '1' }), ok]);
    await client({ headers: { 'X-Trace': 'abc' } }).put('/r', { json: { a: [1, 2] }, query: { q: 'x y' } });
    const [first, second] = seen;
    expect(second?.method).toBe(first?.method);
    expect(second?.url).toBe(first?.url);
    expect(second?.body).toBe(first?.body);
    expect([...(second?.headers ?? [])]).toEqual([...(first?.headers ?? [])]);
    expect(first?.headers.get('x-trace')).toBe('abc');
  });
});
