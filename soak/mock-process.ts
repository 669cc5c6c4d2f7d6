/**
 * The soak's server: `startMockServer()` in a process of its own, so the soak's heap figure is
 * the client's alone. Talks to its parent over IPC: it sends `{ urls }` once listening, and
 * answers `{ op: 'revoke' }`, `{ op: 'stats' }` and `{ op: 'close' }`.
 */
import { startMockServer } from '../src/testing/index.js';

const lifetime = Number(process.env.SOAK_TOKEN_LIFETIME_MS ?? 3000);
const rate = Number(process.env.SOAK_FAULT_RATE ?? 0.05);
const mock = await startMockServer({ accessTokenLifetimeMs: lifetime });
const ss = mock.apis.spherescout;
// Faults on the data routes only: a fault on a login or refresh call would fail every call
// waiting on that renewal, by design, which measures the fault injector more than the client.
ss.randomFaults({
  rate,
  paths: ['/api/user/profile', '/api/companies', '/api/user/api-keys'],
  faults: [
    { status: 429, headers: { 'retry-after-ms': '20' } },
    { status: 503, headers: { 'retry-after-ms': '20' } },
    { network: true },
  ],
});

process.on('message', async (message: { op: string }) => {
  if (message.op === 'revoke') {
    ss.revokeRefreshTokens();
    process.send?.({ op: 'revoked' });
  } else if (message.op === 'stats') {
    ss.log.length = 0;
    process.send?.({ op: 'stats', stats: ss.stats });
  } else if (message.op === 'close') {
    await mock.close();
    process.exit(0);
  }
});
// The request log would grow with every request: keep it empty.
setInterval(() => {
  ss.log.length = 0;
}, 1000).unref();
process.send?.({ op: 'ready', urls: mock.urls });
