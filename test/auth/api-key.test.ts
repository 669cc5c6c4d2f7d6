import { describe, expect, it } from 'vitest';
import { AuthenticationError, Client, apiKey } from '../../src/index.js';
import { BASE, json, rejection, useScriptedServer } from '../helpers.js';

const { script } = useScriptedServer();

function route(valid: Set<string>) {
  return script('/me', [
    (request) =>
      valid.has(request.headers.get('authorization') ?? '') ? json({ ok: true }) : json({ error: 'invalid_api_key', message: 'bad' }, 401),
  ]);
}

describe('apiKey()', () => {
  it('a string key: sent as the Bearer token on every request; a 401 stands, with no replay', async () => {
    const seen = route(new Set(['Bearer k1']));
    const c = new Client('k1', { baseURL: BASE });
    await expect(c.get('/me')).resolves.toEqual({ ok: true });
    const bad = new Client({ baseURL: BASE, auth: apiKey('k2') });
    expect(await rejection(bad.get('/me'))).toBeInstanceOf(AuthenticationError);
    expect(seen.map((s) => s.headers.get('authorization'))).toEqual(['Bearer k1', 'Bearer k2']);
  });

  it('a key function: read once, read again on 401, a different key replays once', async () => {
    let reads = 0;
    const keys = ['old', 'new'];
    const seen = route(new Set(['Bearer new']));
    const c = new Client({ baseURL: BASE, auth: apiKey(async () => keys[Math.min(reads++, 1)] as string) });
    await expect(c.get('/me')).resolves.toEqual({ ok: true });
    await c.get('/me');
    expect(reads).toBe(2);
    expect(seen.map((s) => s.headers.get('authorization'))).toEqual(['Bearer old', 'Bearer new', 'Bearer new']);
  });

  it('a key function that yields the same key again: AuthenticationError after one read', async () => {
    let reads = 0;
    const seen = route(new Set());
    const c = new Client({ baseURL: BASE, auth: apiKey(() => (reads++, 'same')) });
    expect(await rejection(c.get('/me'))).toBeInstanceOf(AuthenticationError);
    expect(reads).toBe(2);
    expect(seen).toHaveLength(1);
  });
});
