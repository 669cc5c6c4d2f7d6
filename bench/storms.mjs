// Storms (child process): what 1,000 requests do when their token has expired, and what 200 do
// when each is answered 429 `Retry-After: 1` once. Every scenario is paired with its calm twin,
// run in the same round (order alternating), with a fresh client each time.
import { entry, fakeJwt, log, resetServer, serverStats, spread } from './shared.mjs';

const { url, refreshRounds, rateRounds, storm, rateStorm } = JSON.parse(process.argv[2]);
const { Client, jwt } = await import(entry('index'));

const jwtClient = (access) => new Client({ baseURL: url, auth: jwt({ tokens: { access, refresh: 'refresh-token' } }) });

/** `n` concurrent calls of `call(i)`: wall ms, successes, failures by name. */
async function burst(n, call) {
  const start = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => call(i)));
  const wall = performance.now() - start;
  const failures = {};
  for (const s of settled) if (s.status === 'rejected') failures[s.reason?.name ?? 'Error'] = (failures[s.reason?.name ?? 'Error'] ?? 0) + 1;
  return { wall, ok: settled.filter((s) => s.status === 'fulfilled').length, failures };
}

async function scenario(run) {
  await resetServer(url);
  const r = await run();
  return { ...r, server: await serverStats(url) };
}

// A token the client knows has expired (a JWT whose `exp` is past: renewed before sending),
// a token the server rejects although the client cannot tell (no `exp`: 401, renew, replay),
// and the calm twin: an unexpired token.
const scenarios = {
  valid: () => scenario(() => { const c = jwtClient(fakeJwt(3_600_000)); return burst(storm, () => c.get('/jwt/item')); }),
  expired: () => scenario(() => { const c = jwtClient(fakeJwt(-60_000)); return burst(storm, () => c.get('/jwt/item')); }),
  rejected: () => scenario(() => { const c = jwtClient('opaque-token-the-server-has-revoked'); return burst(storm, () => c.get('/jwt/item')); }),
};

const refresh = { valid: [], expired: [], rejected: [] };
// Round 0 is a warm-up (JIT, and the keep-alive pool grows to `storm` sockets): not counted.
for (let round = 0; round <= refreshRounds; round++) {
  const order = round % 2 === 0 ? ['valid', 'expired', 'rejected'] : ['rejected', 'expired', 'valid'];
  for (const name of order) {
    const r = await scenarios[name]();
    if (round > 0) refresh[name].push(r);
  }
  log(`storms: refresh round ${round}/${refreshRounds}`);
}

const summarize = (runs, calm) => ({
  wall: spread(runs.map((r) => r.wall)),
  ratio: spread(runs.map((r, i) => r.wall / calm[i].wall)),
  refreshCalls: runs.map((r) => r.server.refreshCalls),
  requests: runs.map((r) => r.server.requests),
  connections: runs.map((r) => r.server.connections),
  ok: runs.map((r) => r.ok),
  failures: runs.map((r) => r.failures),
});

// Rate-limit storm: each id is answered 429 `Retry-After: 1` once, then 200. Its calm twin is
// the same 200 calls once every id has had its 429 (answered 200 at once).
const rate = { storm: [], calm: [] };
for (let round = 0; round <= rateRounds; round++) {
  await resetServer(url);
  const client = new Client('bk_bench_key', { baseURL: url });
  const call = (i) => client.get('/limited', { query: { id: `${round}-${i}` } });
  const stormRun = await burst(rateStorm, call);
  const afterStorm = await serverStats(url);
  const calmRun = await burst(rateStorm, call);
  const afterCalm = await serverStats(url);
  if (round > 0) {
    rate.storm.push({ ...stormRun, attempts: afterStorm.limitedAttempts, throttled: afterStorm.limited429 });
    rate.calm.push({ ...calmRun, attempts: afterCalm.limitedAttempts - afterStorm.limitedAttempts });
  }
  log(`storms: rate-limit round ${round}/${rateRounds}`);
}

process.send(
  {
    storm,
    rateStorm,
    refresh: {
      valid: summarize(refresh.valid, refresh.valid),
      expired: summarize(refresh.expired, refresh.valid),
      rejected: summarize(refresh.rejected, refresh.valid),
    },
    rate: {
      storm: {
        wall: spread(rate.storm.map((r) => r.wall)),
        attempts: rate.storm.map((r) => r.attempts),
        throttled: rate.storm.map((r) => r.throttled),
        ok: rate.storm.map((r) => r.ok),
        failures: rate.storm.map((r) => r.failures),
        // wall − calm wall − the 1 s the server asked for: what the retry machinery adds.
        extra: spread(rate.storm.map((r, i) => r.wall - rate.calm[i].wall - 1000)),
        // (wall − 1 s) in unthrottled walls: the storm sends two rounds (the 429s, then the
        // retries), so about 2 is what the work itself takes.
        rounds: spread(rate.storm.map((r, i) => (r.wall - 1000) / rate.calm[i].wall)),
        // wall ÷ (1 s + calm wall), per round.
        closeness: rate.storm.map((r, i) => r.wall / (1000 + rate.calm[i].wall)),
      },
      calm: { wall: spread(rate.calm.map((r) => r.wall)), attempts: rate.calm.map((r) => r.attempts), ok: rate.calm.map((r) => r.ok) },
    },
  },
  () => process.exit(0),
);
