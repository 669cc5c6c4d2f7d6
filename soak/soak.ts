/**
 * Soak: SOAK_CALLS (default 100,000) calls through `startMockServer()` over real HTTP on
 * 127.0.0.1, 64 in flight, with ~5% random faults (429, 503, connection resets), SphereScout
 * access tokens expiring every few seconds, and a forced refresh-token revocation half way.
 * Reports calls succeeded, failures by class, refreshes vs tokens expired, duplicated POSTs,
 * lost calls and heap growth; writes bench/SOAK.md. Exits non-zero when an invariant breaks.
 *
 * Run: npm run soak   (SOAK_CALLS=20000 npm run soak for a shorter one)
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { BearerkitError } from '../src/index.js';
import { SphereScout } from '../src/services/spherescout/index.js';
import { MOCK_CREDENTIALS, type MockStats } from '../src/testing/index.js';

const CALLS = Number(process.env.SOAK_CALLS ?? 100_000);
const IN_FLIGHT = 64;
const FAULT_RATE = 0.05;
const TOKEN_LIFETIME_MS = 3_000;
const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

// The mock server runs in a child process, so the heap measured here is the client's alone.
const child = fork(new URL('./mock-process.ts', import.meta.url), {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, SOAK_TOKEN_LIFETIME_MS: String(TOKEN_LIFETIME_MS), SOAK_FAULT_RATE: String(FAULT_RATE) },
});
function ask<T>(op: string, answer: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: { op: string }) => {
      if (message.op !== answer) return;
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
    if (op !== '') child.send({ op });
  });
}
const { urls } = await ask<{ urls: { spherescout: string } }>('', 'ready');
const ss = new SphereScout({
  username: MOCK_CREDENTIALS.spherescout.username,
  password: MOCK_CREDENTIALS.spherescout.password,
  baseURL: urls.spherescout,
  refreshSkew: 500,
});

const failures = new Map<string, number>();
let succeeded = 0;
let settled = 0;
let started = 0;
let posts = 0;
let revokedAt = -1;
const t0 = performance.now();
let heapAfterWarmup = 0;

async function one(i: number): Promise<void> {
  if (i === Math.floor(CALLS / 2)) {
    // Forced rotation: every refresh token is revoked, the next refresh fails and the client logs in again.
    await ask('revoke', 'revoked');
    revokedAt = i;
  }
  const kind = i % 10;
  try {
    if (kind === 0) {
      posts++;
      // A unique expiry per POST: a duplicated POST shows as two keys with the same expiry.
      await ss.apiKeys.create({ expiry: new Date(Date.UTC(2030, 0, 1) + i * 1000).toISOString() });
    } else if (kind < 4) {
      await ss.companies.list({ countries: 'DE' });
    } else {
      await ss.user.profile();
    }
    succeeded++;
  } catch (error) {
    const name = error instanceof BearerkitError ? error.name : `non-BearerkitError ${String(error)}`;
    failures.set(name, (failures.get(name) ?? 0) + 1);
  } finally {
    settled++;
  }
}

async function worker(): Promise<void> {
  while (started < CALLS) {
    const i = started++;
    await one(i);
    if (i === 1_000) heapAfterWarmup = heap();
  }
}

await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
const seconds = (performance.now() - t0) / 1000;
const heapEnd = heap();

// Duplicated POSTs: list every key the mock created and look for a repeated expiry.
// Random faults still apply to the listing: it tries until it gets through.
let keys: Awaited<ReturnType<typeof ss.apiKeys.list>> = [];
for (let attempt = 0; ; attempt++) {
  try {
    keys = await ss.apiKeys.list();
    break;
  } catch (error) {
    if (attempt >= 20) throw error;
  }
}
const byExpiry = new Map<string, number>();
for (const key of keys) if (key.expiry) byExpiry.set(key.expiry, (byExpiry.get(key.expiry) ?? 0) + 1);
const duplicated = [...byExpiry.values()].filter((n) => n > 1).length;
const lost = CALLS - settled;
const tokensExpired = Math.floor((seconds * 1000) / TOKEN_LIFETIME_MS);
// `exp` is in whole seconds, so a 3 s token lasts 2–3 s on the client's clock, renewed 0.5 s early:
// one refresh per token means at most one per 1.5 s of wall time (plus the forced re-login's).
const refreshBudget = Math.ceil((seconds * 1000) / (TOKEN_LIFETIME_MS - 1000 - 500)) + 2;
const { stats } = await ask<{ stats: MockStats }>('stats', 'stats');
const { logins, refreshes } = stats;
child.send({ op: 'close' });

const failed = [...failures.entries()].sort((a, b) => b[1] - a[1]);
const growthMB = (heapEnd - heapAfterWarmup) / 2 ** 20;
const rows: Array<[string, string]> = [
  ['calls', String(CALLS)],
  ['in flight', String(IN_FLIGHT)],
  ['wall time', `${seconds.toFixed(1)} s (${Math.round(CALLS / seconds)} calls/s)`],
  ['HTTP requests the server saw', String(stats.requests)],
  ['faults served (429 / 503 / reset, data routes)', `${stats.faults} (${((stats.faults / stats.requests) * 100).toFixed(1)}% of requests)`],
  ['calls succeeded', String(succeeded)],
  ['calls failed', `${CALLS - succeeded - lost}${failed.length ? `: ${failed.map(([n, c]) => `${n} ${c}`).join(', ')}` : ''}`],
  ['POST calls', String(posts)],
  ['duplicated POSTs (must be 0)', String(duplicated)],
  ['lost calls (must be 0)', String(lost)],
  ['access tokens expired (lifetime 3 s)', `~${tokensExpired}`],
  ['refreshes made (budget: one per token)', `${refreshes} (≤ ${refreshBudget})`],
  ['logins made (1 + the forced re-login)', String(logins)],
  ['refresh tokens revoked at call', String(revokedAt)],
  ['heap after 1,000 calls → after all', `${(heapAfterWarmup / 2 ** 20).toFixed(1)} MB → ${(heapEnd / 2 ** 20).toFixed(1)} MB (growth ${growthMB.toFixed(1)} MB${gc ? '' : ', no --expose-gc'})`],
];

const table = ['| measure | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
const verdicts = [
  ['no lost call', lost === 0],
  ['no duplicated POST', duplicated === 0],
  ['every failure a BearerkitError', !failed.some(([n]) => n.startsWith('non-'))],
  ['one refresh per token, no storm (≤ one per 1.5 s of wall time, +2 for the forced re-login)', refreshes <= refreshBudget],
  ['logins: the first and the one after the revocation', logins <= 3],
  ['heap growth under 5 MB', growthMB < 5],
] as const;
const report = `# Soak

Run ${new Date().toISOString().slice(0, 10)} with Node ${process.version} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}),
against \`startMockServer()\` over HTTP on 127.0.0.1, in a child process (the heap figure is the client's alone): \`npm run soak\` (soak/soak.ts).
Mix: 60% GET profile, 30% GET companies, 10% POST api-keys; SphereScout login + refresh JWT, refreshSkew 500 ms.

${table}

${verdicts.map(([what, ok]) => `- ${ok ? 'met' : 'NOT MET'}: ${what}`).join('\n')}
`;
writeFileSync(new URL('../bench/SOAK.md', import.meta.url), report);
console.log(report);
if (verdicts.some(([, ok]) => !ok)) process.exit(1);
