import { describe, expect, it } from 'vitest';
import { MOCK_CREDENTIALS, startMockServer } from '../../src/testing/index.js';
import { call } from './support.js';

// Alone in its file (its own worker thread, its own event loop), so the TCP handle count is ours.
const tcp = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap').length;
const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('MockServer.close()', () => {
  it('close() closes idle and in-flight connections and leaves no open handles', async () => {
    const before = tcp();
    const timersBefore = timers();
    const other = await startMockServer();
    expect(tcp()).toBe(before + 1);
    // leaves a keep-alive socket
    await call(`${other.urls.session}/auth/login`, { json: { api_key: MOCK_CREDENTIALS.session.apiKey } });
    other.apis.session.failNext(1, { delayMs: 60_000 });
    const hanging = fetch(`${other.urls.session}/v1/me`).then(
      (r) => r.status,
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(tcp()).toBeGreaterThan(before + 1);
    const timersWhileHanging = timers(); // includes the 60 s fault delay
    expect(timersWhileHanging).toBeGreaterThan(0);
    await other.close();
    await expect(other.close()).resolves.toBeUndefined(); // idempotent
    expect(await hanging).toBeInstanceOf(TypeError);
    for (let i = 0; i < 50 && tcp() > before; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(tcp()).toBe(before);
    // the 60 s fault delay was cancelled with its connection
    expect(timers()).toBeLessThan(timersWhileHanging);
    expect(timers()).toBeLessThanOrEqual(timersBefore);
    await expect(fetch(`${other.url}/session/v1/me`)).rejects.toThrow(TypeError);
  });
});
