import { http, HttpResponse } from 'msw';
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import * as zm from 'zod/mini';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  APIConnectionTimeoutError,
  Client,
  ConfigurationError,
  ResponseValidationError,
  VERSION,
  type StandardSchemaV1,
} from '../src/index.js';
import { BASE, json, rejection, status, useScriptedServer } from './helpers.js';

const { server, script } = useScriptedServer();
const PKG_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const ok = () => json({ ok: true });

describe('construction', () => {
  it('new Client(key, opts) and new Client(opts) send the same Bearer key', async () => {
    const seen = script('/me', [ok()]);
    await new Client('k-1', { baseURL: BASE }).get('/me');
    await new Client({ baseURL: BASE, auth: 'k-2' }).get('/me');
    await new Client({ baseURL: BASE }).get('/me');
    expect(seen.map((s) => s.headers.get('authorization'))).toEqual(['Bearer k-1', 'Bearer k-2', null]);
  });

  it('exposes its resolved options', () => {
    const c = new Client({ baseURL: `${BASE}/v1/`, maxRetries: 5, timeout: 1234, maxRetryDelay: 99 });
    expect(c.baseURL).toBe(`${BASE}/v1`);
    expect(c.maxRetries).toBe(5);
    expect(c.timeout).toBe(1234);
    expect(c.maxRetryDelay).toBe(99);
    const d = new Client({ baseURL: BASE });
    expect([d.maxRetries, d.timeout, d.maxRetryDelay]).toEqual([2, 60_000, 60_000]);
  });

  it.each([
    ['no options', undefined],
    ['no baseURL', {}],
    ['an empty baseURL', { baseURL: '' }],
    ['a relative baseURL', { baseURL: '/api' }],
    ['not a URL', { baseURL: 'not a url' }],
    ['a non-http scheme', { baseURL: 'ftp://api.example.test' }],
    ['a query in the baseURL', { baseURL: `${BASE}?x=1` }],
    ['a fragment in the baseURL', { baseURL: `${BASE}#x` }],
    ['a numeric baseURL', { baseURL: 42 }],
  ])('%s → ConfigurationError', (_name, options) => {
    expect(() => new Client(options as never)).toThrow(ConfigurationError);
    expect(() => new Client('key', options as never)).toThrow(ConfigurationError);
  });

  it.each([
    ['maxRetries -1', { maxRetries: -1 }],
    ['maxRetries 1.5', { maxRetries: 1.5 }],
    ['maxRetries NaN', { maxRetries: Number.NaN }],
    ['maxRetries Infinity', { maxRetries: Number.POSITIVE_INFINITY }],
    ['maxRetries as a string', { maxRetries: '2' }],
    ['timeout -1', { timeout: -1 }],
    ['timeout NaN', { timeout: Number.NaN }],
    ['timeout 0.5', { timeout: 0.5 }],
    ['timeout over the timer limit', { timeout: 2 ** 31 }],
    ['maxRetryDelay -5', { maxRetryDelay: -5 }],
  ])('%s → ConfigurationError', (_name, options) => {
    expect(() => new Client({ baseURL: BASE, ...(options as object) })).toThrow(ConfigurationError);
  });

  // fetch refuses such URLs (every call would fail as a retried APIConnectionError), and the
  // password would show in every error message and in util.inspect(client).
  it('a baseURL with credentials in it (user:pass@) → ConfigurationError at construction, without the password', () => {
    for (const baseURL of ['https://user:pass-zz9@api.example.test', 'https://user@api.example.test']) {
      let error: unknown;
      try {
        new Client('key', { baseURL });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).not.toContain('pass-zz9');
    }
  });

  it('a "#" in a path → ConfigurationError and nothing sent (a fragment would drop the rest of the path and the query)', async () => {
    const seen = script('/items/a', [ok()]);
    const error = await rejection(new Client({ baseURL: BASE }).get('/items/a#b', { query: { q: 1 } }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(seen).toHaveLength(0);
    // Encoded, it is an ordinary character of the path.
    const encoded = script(`/items/${encodeURIComponent('a#b')}`, [ok()]);
    await new Client({ baseURL: BASE }).get(`/items/${encodeURIComponent('a#b')}`, { query: { q: 1 } });
    expect(encoded).toHaveLength(1);
    expect(new URL(encoded[0]!.url).search).toBe('?q=1');
  });

  it('a bad per-request timeout → ConfigurationError and nothing sent', async () => {
    const seen = script('/me', [ok()]);
    const error = await rejection(new Client({ baseURL: BASE }).get('/me', { timeout: -1 }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(seen).toHaveLength(0);
  });

  it.each([
    ['an empty key', ''],
    ['a key with a space', 'a b'],
    ['a key with a line break', 'ab\ncd'],
  ])('%s → ConfigurationError at construction', (_name, key) => {
    expect(() => new Client(key, { baseURL: BASE })).toThrow(ConfigurationError);
  });
});

describe('headers', () => {
  it('sends Accept: application/json and User-Agent: bearerkit/<package.json version>', async () => {
    const seen = script('/me', [ok()]);
    await new Client({ baseURL: BASE }).get('/me');
    expect(seen[0]?.headers.get('accept')).toBe('application/json');
    expect(seen[0]?.headers.get('user-agent')).toBe(`bearerkit/${PKG_VERSION}`);
    expect(VERSION).toBe(PKG_VERSION);
  });

  it('client-level and per-request headers are sent; per-request wins, whatever the case', async () => {
    const seen = script('/me', [ok()]);
    const c = new Client('key', { baseURL: BASE, headers: { 'X-Team': 'alpha', 'X-Trace': 'client' } });
    await c.get('/me');
    await c.get('/me', { headers: { 'x-trace': 'request', 'X-Extra': '1' } });
    await c.get('/me');
    expect(seen.map((s) => [s.headers.get('x-team'), s.headers.get('x-trace'), s.headers.get('x-extra')])).toEqual([
      ['alpha', 'client', null],
      ['alpha', 'request', '1'],
      ['alpha', 'client', null],
    ]);
    expect(seen.every((s) => s.headers.get('authorization') === 'Bearer key')).toBe(true);
  });

  it('Authorization comes from auth, not from a custom header', async () => {
    const seen = script('/me', [ok()]);
    const c = new Client('real', { baseURL: BASE, headers: { Authorization: 'Bearer client-level' } });
    await c.get('/me', { headers: { authorization: 'Bearer per-request' } });
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer real');
  });

  it('a custom User-Agent / Accept may be set', async () => {
    const seen = script('/me', [ok()]);
    await new Client({ baseURL: BASE, headers: { 'User-Agent': 'my-app/1.0' } }).get('/me', { headers: { accept: 'application/vnd.x+json' } });
    expect(seen[0]?.headers.get('user-agent')).toBe('my-app/1.0');
    expect(seen[0]?.headers.get('accept')).toBe('application/vnd.x+json');
  });
});

describe('URLs and query', () => {
  it('encodes numbers, booleans, arrays (repeated key), drops undefined, encodes spaces and unicode', async () => {
    const seen = script('/search', [ok()]);
    await new Client({ baseURL: BASE }).get('/search', {
      query: { n: 1.5, zero: 0, b: false, t: true, tags: ['a', 'b c', 3], gone: undefined, s: 'ü & = ?#', empty: '' },
    });
    const url = new URL(seen[0]!.url);
    expect(url.pathname).toBe('/search');
    expect([...url.searchParams]).toEqual([
      ['n', '1.5'],
      ['zero', '0'],
      ['b', 'false'],
      ['t', 'true'],
      ['tags', 'a'],
      ['tags', 'b c'],
      ['tags', '3'],
      ['s', 'ü & = ?#'],
      ['empty', ''],
    ]);
    expect(url.search).not.toContain('gone');
    expect(url.search).not.toContain(' ');
    expect(url.search).toContain('s=%C3%BC');
    expect(url.hash).toBe('');
  });

  it('an empty query or one of only undefined adds no "?"', async () => {
    const seen = script('/q', [ok()]);
    const c = new Client({ baseURL: BASE });
    await c.get('/q', { query: {} });
    await c.get('/q', { query: { a: undefined } });
    await c.get('/q', { query: { list: [] } });
    expect(seen.map((s) => s.url)).toEqual([`${BASE}/q`, `${BASE}/q`, `${BASE}/q`]);
  });

  it('a query already in the path is kept and extended', async () => {
    const seen = script('/q', [ok()]);
    await new Client({ baseURL: BASE }).get('/q?fixed=1', { query: { more: 2 } });
    expect(seen[0]?.url).toBe(`${BASE}/q?fixed=1&more=2`);
  });

  it.each([
    [`${BASE}/v1`, '/items', `${BASE}/v1/items`],
    [`${BASE}/v1/`, '/items', `${BASE}/v1/items`],
    [`${BASE}/v1`, 'items', `${BASE}/v1/items`],
    [`${BASE}/v1/`, 'items', `${BASE}/v1/items`],
    [`${BASE}/`, '/items', `${BASE}/items`],
    [BASE, 'items', `${BASE}/items`],
    [`${BASE}/a/b`, '/c/d', `${BASE}/a/b/c/d`],
  ])('baseURL %s + path %s → %s', async (baseURL, path, expected) => {
    const seen: string[] = [];
    server.use(
      http.all(`${BASE}/*`, ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json({});
      }),
    );
    await new Client({ baseURL }).get(path);
    expect(seen).toEqual([expected]);
  });
});

describe('bodies', () => {
  it('json: sent as JSON with content-type application/json, for every method', async () => {
    const seen = script('/items', [json({ id: 1 }, 201)]);
    const c = new Client({ baseURL: BASE });
    const body = { name: 'x', n: [1, 2], nested: { ü: true }, nul: null };
    await c.post('/items', { json: body });
    await c.put('/items', { json: body });
    await c.patch('/items', { json: [1, 'two'] });
    await c.delete('/items', { json: { why: 'test' } });
    expect(seen.map((s) => s.method)).toEqual(['POST', 'PUT', 'PATCH', 'DELETE']);
    expect(seen.map((s) => s.headers.get('content-type'))).toEqual(Array(4).fill('application/json'));
    expect(seen.map((s) => JSON.parse(s.body))).toEqual([body, body, [1, 'two'], { why: 'test' }]);
  });

  it('no json: no body and no content-type', async () => {
    const seen = script('/items', [json({})]);
    await new Client({ baseURL: BASE }).post('/items');
    expect(seen[0]?.body).toBe('');
    expect(seen[0]?.headers.get('content-type')).toBeNull();
  });

  it('request("get", …) with a lower-case method works', async () => {
    const seen = script('/items', [json({ n: 1 })]);
    const c = new Client({ baseURL: BASE });
    await expect(c.request('get', '/items')).resolves.toEqual({ n: 1 });
    await expect(c.request('post', '/items', { json: { a: 1 } })).resolves.toEqual({ n: 1 });
    await expect(c.request('DELETE', '/items')).resolves.toEqual({ n: 1 });
    expect(seen.map((s) => s.method)).toEqual(['GET', 'POST', 'DELETE']);
  });

  it('204 and an empty 200 resolve to undefined (also with a schema)', async () => {
    script('/no-content', [status(204)]);
    script('/empty', [status(200)]);
    const c = new Client({ baseURL: BASE });
    await expect(c.delete('/no-content')).resolves.toBeUndefined();
    await expect(c.get('/empty')).resolves.toBeUndefined();
    await expect(c.get('/no-content', { schema: z.object({ a: z.number() }) })).resolves.toBeUndefined();
  });

  it('a JSON 200 resolves to the parsed value (arrays, primitives, null)', async () => {
    script('/arr', [json([1, 2])]);
    script('/str', [new HttpResponse('"text"', { headers: { 'content-type': 'application/json' } })]);
    script('/null', [new HttpResponse('null', { headers: { 'content-type': 'application/json' } })]);
    const c = new Client({ baseURL: BASE });
    expect(await c.get('/arr')).toEqual([1, 2]);
    expect(await c.get('/str')).toBe('text');
    expect(await c.get('/null')).toBeNull();
  });

  it('a 2xx HTML body → ResponseValidationError (not retried)', async () => {
    const seen = script('/html', [new HttpResponse('<!doctype html><html><body>maintenance</body></html>', { status: 200, headers: { 'content-type': 'text/html' } })]);
    const error = await rejection(new Client({ baseURL: BASE }).get('/html'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.status).toBe(200);
    expect(error.method).toBe('GET');
    expect(error.url).toBe(`${BASE}/html`);
    expect(error.issues.length).toBeGreaterThan(0);
    expect(seen).toHaveLength(1);
  });
});

describe('schemas', () => {
  const Item = z.object({ id: z.number(), name: z.string() });
  const MiniItem = zm.object({ id: zm.number(), name: zm.string() });
  const upper: StandardSchemaV1<unknown, { id: number; name: string }> = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value) => {
        const v = value as { id?: unknown; name?: unknown };
        return typeof v.id === 'number' && typeof v.name === 'string'
          ? { value: { id: v.id, name: v.name.toUpperCase() } }
          : { issues: [{ message: 'bad item', path: ['id'] }] };
      },
    },
  };
  const asyncUpper: StandardSchemaV1<unknown, { id: number; name: string }> = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: async (value) => {
        await new Promise((r) => setTimeout(r, 1));
        return upper['~standard'].validate(value) as StandardSchemaV1.Result<{ id: number; name: string }>;
      },
    },
  };

  it('classic zod: validates and returns the output (transforms applied)', async () => {
    script('/item', [json({ id: 1, name: 'a', extra: true })]);
    const c = new Client({ baseURL: BASE });
    const item = await c.get('/item', { schema: Item });
    expect(item).toEqual({ id: 1, name: 'a' }); // z.object strips unknown keys
    const withTransform = await c.get('/item', { schema: Item.transform((v) => v.id * 10) });
    expect(withTransform).toBe(10);
    expectTypeOf(item).toEqualTypeOf<{ id: number; name: string }>();
    expectTypeOf(withTransform).toEqualTypeOf<number>();
  });

  it('zod/mini works the same', async () => {
    script('/item', [json({ id: 2, name: 'b' })]);
    const item = await new Client({ baseURL: BASE }).get('/item', { schema: MiniItem });
    expect(item).toEqual({ id: 2, name: 'b' });
    expectTypeOf(item).toEqualTypeOf<{ id: number; name: string }>();
  });

  it('a hand-written Standard Schema (sync and async validate)', async () => {
    script('/item', [json({ id: 3, name: 'c' })]);
    const c = new Client({ baseURL: BASE });
    expect(await c.get('/item', { schema: upper })).toEqual({ id: 3, name: 'C' });
    const viaAsync = await c.post('/item', { schema: asyncUpper });
    expect(viaAsync).toEqual({ id: 3, name: 'C' });
    expectTypeOf(viaAsync).toEqualTypeOf<{ id: number; name: string }>();
  });

  it.each([
    ['zod', Item],
    ['zod/mini', MiniItem],
    ['hand-written', upper],
    ['hand-written async', asyncUpper],
  ] as const)('%s mismatch → ResponseValidationError with issues, sent once', async (_name, schema) => {
    const seen = script('/item', [json({ id: 'one', name: 5 })]);
    const error = await rejection(new Client({ baseURL: BASE }).get('/item', { schema }));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.name).toBe('ResponseValidationError');
    expect(error.status).toBe(200);
    expect(error.url).toBe(`${BASE}/item`);
    expect(Array.isArray(error.issues)).toBe(true);
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.issues[0].path?.map((p: PropertyKey | { key: PropertyKey }) => (typeof p === 'object' ? p.key : p))).toContain('id');
    expect(seen).toHaveLength(1);
  });

  it('types: with a schema the call is typed as its output; without, unknown', () => {
    const c = new Client({ baseURL: BASE });
    const typeOnly = () => {
      expectTypeOf(c.get('/x', { schema: Item })).resolves.toEqualTypeOf<{ id: number; name: string }>();
      expectTypeOf(c.post('/x', { schema: MiniItem })).resolves.toEqualTypeOf<{ id: number; name: string }>();
      expectTypeOf(c.request('get', '/x', { schema: upper })).resolves.toEqualTypeOf<{ id: number; name: string }>();
      expectTypeOf(c.get('/x')).resolves.toBeUnknown();
      expectTypeOf(c.delete('/x', { query: { a: 1 } })).resolves.toBeUnknown();
      // @ts-expect-error a query value must be a string, number, boolean or an array of those
      void c.get('/x', { query: { a: { nested: true } } });
    };
    expect(typeof typeOnly).toBe('function');
  });
});

describe('timeouts', () => {
  const slow = (ms: number) => async (request: Request) => {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      request.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    return json({ late: true });
  };

  it('a handler slower than timeout → APIConnectionTimeoutError after one attempt (maxRetries 0)', async () => {
    const seen = script('/slow', [slow(500)]);
    const started = Date.now();
    const error = await rejection(new Client({ baseURL: BASE, timeout: 50, maxRetries: 0 }).get('/slow'));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.name).toBe('APIConnectionTimeoutError');
    expect(Date.now() - started).toBeLessThan(480);
    expect(seen).toHaveLength(1);
  });

  it('a GET that times out is retried: maxRetries 1 → 2 attempts', async () => {
    const seen = script('/slow', [slow(500)]);
    const error = await rejection(new Client({ baseURL: BASE, timeout: 50, maxRetries: 1, maxRetryDelay: 20 }).get('/slow'));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(seen).toHaveLength(2);
  });

  it('a POST that times out is not retried', async () => {
    const seen = script('/slow', [slow(500)]);
    const error = await rejection(new Client({ baseURL: BASE, timeout: 50, maxRetries: 2, maxRetryDelay: 20 }).post('/slow', { json: {} }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(seen).toHaveLength(1);
  });

  it('a per-request timeout overrides the client one', async () => {
    const seen = script('/slow', [slow(120)]);
    const c = new Client({ baseURL: BASE, timeout: 30, maxRetries: 0 });
    await expect(c.get('/slow', { timeout: 1000 })).resolves.toEqual({ late: true });
    expect(await rejection(new Client({ baseURL: BASE, maxRetries: 0 }).get('/slow', { timeout: 30 }))).toBeInstanceOf(
      APIConnectionTimeoutError,
    );
    expect(seen).toHaveLength(2);
  });
});

describe('custom fetch', () => {
  it('the fetch option is used for every request', async () => {
    const calls: string[] = [];
    const fetchFn: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      calls.push(`${request.method} ${request.url} ${request.headers.get('authorization')}`);
      return new Response('{"via":"custom"}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const c = new Client('k', { baseURL: 'https://custom.example.test', fetch: fetchFn });
    await expect(c.get('/a', { query: { x: 1 } })).resolves.toEqual({ via: 'custom' });
    expect(calls).toEqual(['GET https://custom.example.test/a?x=1 Bearer k']);
  });
});
