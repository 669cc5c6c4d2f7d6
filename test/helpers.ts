import { inspect } from 'node:util';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { ConfigurationError } from '../src/index.js';
import { createMockApis } from '../src/testing/index.js';

export const BASE = 'https://api.example.test';

/** What one scripted reply is: a Response, a network error, or a function of the request. */
export type Reply = Response | 'network' | ((request: Request) => Response | Promise<Response>);

export interface Seen {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

/**
 * One MSW server for a test file. `script(path, replies)` answers the next requests to `path`
 * (any method) with `replies` in order (the last one repeats) and records every request.
 */
export function useScriptedServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  function script(path: string, replies: Reply[]) {
    const seen: Seen[] = [];
    server.use(
      http.all(`${BASE}${path}`, async ({ request }) => {
        const body = await request.clone().text();
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        const reply = replies[Math.min(seen.length - 1, replies.length - 1)];
        if (reply === undefined) throw new Error('script has no replies');
        if (reply === 'network') return HttpResponse.error();
        return typeof reply === 'function' ? reply(request) : reply.clone();
      }),
    );
    return seen;
  }

  return { server, script };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  HttpResponse.json(body as Record<string, unknown>, { status, headers });

export const status = (code: number, headers: Record<string, string> = {}, body = '') =>
  new HttpResponse(body === '' ? null : body, { status: code, headers });

/** A JWT-shaped token whose `exp` is `expiresInMs` from now. */
export function fakeJwt(expiresInMs: number, id = Math.random().toString(36).slice(2)): string {
  const enc = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ exp: Math.floor((Date.now() + expiresInMs) / 1000), jti: id })}.sig`;
}

/** Settle `promise` and return what it rejected with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/**
 * The stateful mock of the four APIs (plus any `extra` mocks), served by MSW for a test file,
 * reset before each test. `sent` lists every request as "METHOD URL", in order.
 */
export function useMockApis(extra: Array<{ handlers: HttpHandler[]; reset(): void }> = []) {
  const apis = createMockApis();
  const server = setupServer(...apis.handlers, ...extra.flatMap((mock) => mock.handlers));
  const sent: string[] = [];
  server.events.on('request:start', ({ request }) => {
    sent.push(`${request.method} ${request.url}`);
  });
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    apis.reset();
    for (const mock of extra) mock.reset();
    sent.length = 0;
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return { apis, server, sent };
}

/** What `fn` threw synchronously (fails the test when it returns). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

/** Every way a user might print an error. */
export const renderings = (error: unknown): string[] => [
  (error as Error).message,
  String(error),
  JSON.stringify(error),
  inspect(error, { depth: 10 }),
];

/**
 * `make` (a client constructor given a malformed key) throws a ConfigurationError in which no
 * rendering shows the key or the start of its secret part, and nothing has been sent.
 */
export function expectKeyRefused(make: () => unknown, key: string, secret: string, sent: readonly string[]): void {
  const error = thrown(make);
  expect(error).toBeInstanceOf(ConfigurationError);
  for (const text of renderings(error)) {
    expect(text).not.toContain(key);
    expect(text).not.toContain(secret.slice(0, 10));
  }
  expect(sent).toEqual([]);
}
