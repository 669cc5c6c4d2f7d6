/**
 * Hostile bodies and headers: each gives a typed error with a clear message, or a sane
 * default, and nothing crashes.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  Client,
  ConfigurationError,
  InternalServerError,
  RateLimitError,
  ResponseValidationError,
  apiKey,
  jwt,
} from '../src/index.js';
import { BASE, fakeJwt, json, rejection, status, useScriptedServer } from './helpers.js';

const { script } = useScriptedServer();
const client = (options = {}) => new Client('k', { baseURL: BASE, ...options });

describe('hostile bodies', () => {
  it('a 10 MB error body is kept short in the error', async () => {
    const huge = `<html>${'x'.repeat(10 * 1024 * 1024)}</html>`;
    script('/big', [status(400, {}, huge)]);
    const error = await rejection(client().get('/big'));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(String(error.body).length).toBeLessThan(1000);
    expect(error.message.length).toBeLessThan(600);
    expect(inspect(error).length).toBeLessThan(20_000);
  });

  it('a 10 MB JSON error body is not parsed into the error', async () => {
    const huge = JSON.stringify({ message: 'boom', filler: 'y'.repeat(10 * 1024 * 1024) });
    script('/big', [status(500, { 'content-type': 'application/json' }, huge)]);
    const error = await rejection(client().get('/big'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(JSON.stringify(error).length).toBeLessThan(5_000);
  });

  it('an error message is cut short whatever the envelope says', async () => {
    script('/long', [json({ message: 'm'.repeat(100_000) }, 400)]);
    const error = await rejection(client().get('/long'));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message.length).toBeLessThan(600);
  });

  it('deeply nested JSON resolves or is a ResponseValidationError, never a crash', async () => {
    const depth = 100_000;
    script('/deep', [status(200, { 'content-type': 'application/json' }, `${'['.repeat(depth)}${']'.repeat(depth)}`)]);
    try {
      const value = await client().get('/deep');
      expect(Array.isArray(value)).toBe(true);
    } catch (error) {
      expect(error).toBeInstanceOf(ResponseValidationError);
    }
  });

  it('truncated JSON on a 2xx is a ResponseValidationError saying so', async () => {
    script('/cut', [status(200, { 'content-type': 'application/json' }, '{"orders": [{"id": "o1", "ti')]);
    const error = await rejection(client().get('/cut'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.message).toMatch(/not JSON/);
  });
});

describe('hostile Retry-After', () => {
  it('Retry-After: 1e309 is unreadable: backoff (capped by maxRetryDelay), then success', async () => {
    const seen = script('/r', [status(429, { 'retry-after': '1e309' }), json({ ok: 1 })]);
    await expect(client({ maxRetryDelay: 20 }).get('/r')).resolves.toEqual({ ok: 1 });
    expect(seen).toHaveLength(2);
  });

  it('a far-future HTTP-date over maxRetryDelay throws at once with retryAfter', async () => {
    const seen = script('/r', [status(429, { 'retry-after': 'Fri, 01 Jan 2100 00:00:00 GMT' })]);
    const error = await rejection(client({ maxRetryDelay: 1000 }).get('/r'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfter).toBeGreaterThan(1000);
    expect(seen).toHaveLength(1);
  });
});

describe('hostile login and refresh answers', () => {
  it('a refresh response with an empty `refresh` keeps the refresh token we had', async () => {
    const a1 = fakeJwt(600_000, 'a1');
    const a2 = fakeJwt(600_000, 'a2');
    const a3 = fakeJwt(600_000, 'a3');
    let valid = a1;
    script('/api/auth/login', [json({ access: a1, refresh: 'r1' })]);
    const refreshes = script('/api/token/refresh', [json({ access: a2, refresh: '' }), json({ access: a3, refresh: 'r3' })]);
    script('/data', [(request) => (request.headers.get('authorization') === `Bearer ${valid}` ? json({ ok: true }) : json({}, 401))]);
    const c = new Client({ baseURL: BASE, auth: jwt({ username: 'u', password: 'p' }) });
    await c.get('/data');
    valid = a2;
    await c.get('/data');
    valid = a3;
    await c.get('/data');
    expect(refreshes.map((r) => JSON.parse(r.body).refresh)).toEqual(['r1', 'r1']);
  });

  it('a login response whose `access` is not a string is a ResponseValidationError that shows no value', async () => {
    script('/api/auth/login', [json({ access: 12345, refresh: 'SECRET-REFRESH' })]);
    const c = new Client({ baseURL: BASE, auth: jwt({ username: 'u', password: 'SECRET-PW' }) });
    const error = await rejection(c.get('/data'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.message).toContain('`access`');
    expect(inspect(error, { depth: 10 })).not.toMatch(/SECRET/);
  });
});

describe('hostile options', () => {
  it('a header value with a line break or NUL is a ConfigurationError naming the header, not its value; nothing is sent', async () => {
    const seen = script('/h', [json({ ok: 1 })]);
    expect(() => client({ headers: { 'x-a': 'a\r\nInjected: 1' } })).toThrow(ConfigurationError);
    expect(() => client({ headers: { 'x-a': 'a\r\nInjected: 1' } })).toThrow(/"x-a"/);
    expect(() => client({ headers: { 'x-a': 'a\r\nInjected: 1' } })).not.toThrow(/Injected/);
    for (const value of ['b\nc', 'b\rc', 'b\0c']) {
      const error = await rejection(client().get('/h', { headers: { 'x-b': value } }));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain('"x-b"');
    }
    expect(seen).toHaveLength(0);
  });

  it('a header name that is not a token is a ConfigurationError; an undefined value is dropped', async () => {
    const seen = script('/h', [json({ ok: 1 })]);
    expect(() => client({ headers: { 'bad name': 'v' } })).toThrow(ConfigurationError);
    expect(() => client({ headers: { 'x:y': 'v' } })).toThrow(ConfigurationError);
    await client().get('/h', { headers: { 'x-kept': 'v', 'x-dropped': undefined as unknown as string } });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.get('x-kept')).toBe('v');
    expect(seen[0]?.headers.has('x-dropped')).toBe(false);
  });

  it('a key with a line break is refused by apiKey clients before any request', async () => {
    const seen = script('/h', [json({ ok: 1 })]);
    let error: unknown;
    try {
      new Client('key\nInjected: 1', { baseURL: BASE });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).not.toContain('Injected');
    const fromFunction = await rejection(new Client({ baseURL: BASE, auth: apiKey(() => 'key\rInjected') }).get('/h'));
    expect(fromFunction).toBeInstanceOf(ConfigurationError);
    expect(seen).toHaveLength(0);
  });
});
