/**
 * Fleet benchmark: how many logins and refreshes N worker processes make, each with its own
 * bearerkit client on one SphereScout login, with and without `redisStore()`. Everything runs on
 * this machine: a real redis-server on 127.0.0.1 (started and stopped here), the mock over HTTP
 * on 127.0.0.1, and N worker processes (test/fleet/worker.ts).
 *
 * Two scenarios per configuration:
 *   cold:    all N processes start at once and send CALLS concurrent calls each (no token yet;
 *            tokens live 5 minutes, so none expires during it);
 *   steady:  every access token is expired, then the N processes keep CONCURRENCY calls in flight
 *            each for DURATION_MS, with access tokens that now live TOKEN_MS (renewed
 *            REFRESH_SKEW_MS early).
 *
 * Run: npx tsx fleet/bench.ts   (FLEET_PROCESSES=8 FLEET_DURATION_MS=8000 …). Writes fleet/RESULTS.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { MOCK_CREDENTIALS, startMockServer } from '../src/testing/index.js';
import { startFleet, total } from '../test/fleet/harness.js';
import { startRedis } from '../test/fleet/redis-server.js';

const PROCESSES = Number(process.env.FLEET_PROCESSES ?? 8);
const CALLS = Number(process.env.FLEET_CALLS ?? 50);
const CONCURRENCY = Number(process.env.FLEET_CONCURRENCY ?? 4);
const DURATION_MS = Number(process.env.FLEET_DURATION_MS ?? 8_000);
const TOKEN_MS = Number(process.env.FLEET_TOKEN_MS ?? 2_000);
const REFRESH_SKEW_MS = Number(process.env.FLEET_REFRESH_SKEW_MS ?? 1_000);
const SECRETS = { FLEET_USERNAME: MOCK_CREDENTIALS.spherescout.username, FLEET_PASSWORD: MOCK_CREDENTIALS.spherescout.password };

interface Row {
  scenario: string;
  store: string;
  processes: number;
  calls: number;
  failed: number;
  logins: number;
  refreshes: number;
  seconds: number;
}

const redis = await startRedis();
const admin = await redis.connect();
const mock = await startMockServer();
const ss = mock.apis.spherescout;
const rows: Row[] = [];

try {
  for (const shared of [false, true]) {
    const label = shared ? 'redisStore' : 'none (per process)';
    const config = {
      api: 'spherescout' as const,
      baseURL: mock.urls.spherescout,
      path: '/api/user/profile',
      refreshSkew: REFRESH_SKEW_MS,
      ...(shared ? { redisPort: redis.port } : {}),
    };

    await admin.flushall();
    ss.reset();
    const fleet = await startFleet(PROCESSES, config, SECRETS);
    let t0 = performance.now();
    const cold = total(await fleet.run({ calls: CALLS, concurrency: CALLS }));
    rows.push({
      scenario: `cold start, ${CALLS} concurrent calls each`,
      store: label,
      processes: PROCESSES,
      calls: cold.ok + cold.failed,
      failed: cold.failed,
      logins: ss.stats.logins,
      refreshes: ss.stats.refreshes,
      seconds: (performance.now() - t0) / 1000,
    });

    const before = { logins: ss.stats.logins, refreshes: ss.stats.refreshes };
    ss.accessTokenLifetimeMs = TOKEN_MS;
    ss.expireAccessTokens();
    t0 = performance.now();
    const steady = total(await fleet.run({ concurrency: CONCURRENCY, durationMs: DURATION_MS }));
    rows.push({
      scenario: `${DURATION_MS / 1000} s steady, ${TOKEN_MS / 1000} s tokens (all expired at its start)`,
      store: label,
      processes: PROCESSES,
      calls: steady.ok + steady.failed,
      failed: steady.failed,
      logins: ss.stats.logins - before.logins,
      refreshes: ss.stats.refreshes - before.refreshes,
      seconds: (performance.now() - t0) / 1000,
    });
    await fleet.stop();
  }
} finally {
  admin.disconnect();
  await mock.close();
  await redis.stop();
}

const header = '| scenario | shared store | processes | calls | failed | logins | refreshes | time |';
const lines = [
  header,
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) => `| ${r.scenario} | ${r.store} | ${r.processes} | ${r.calls} | ${r.failed} | ${r.logins} | ${r.refreshes} | ${r.seconds.toFixed(1)} s |`,
  ),
];
const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`;
const report = [
  '# Fleet benchmark',
  '',
  `\`npx tsx fleet/bench.ts\`: ${PROCESSES} worker processes, each its own bearerkit client with jwt() on one SphereScout login,`,
  `against the mock over HTTP on 127.0.0.1 and a real redis-server on 127.0.0.1; ${machine}.`,
  '',
  ...lines,
  '',
].join('\n');
writeFileSync(new URL('./RESULTS.md', import.meta.url), report);
process.stdout.write(`${report}\n`);
const failed = rows.reduce((n, r) => n + r.failed, 0);
if (failed > 0) {
  process.stderr.write(`fleet bench: ${failed} calls failed\n`);
  process.exitCode = 1;
}
