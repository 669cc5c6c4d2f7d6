// Per-request overhead (child process): every contender, sequential (1 in flight)
// and concurrent (64 in flight), interleaved round by round so that a noisy machine slows all
// alike: in blocks (a few requests sequentially, a few waves of 64 concurrently), every contender
// once per cycle in a new random order, several cycles a round. No forced gc() between blocks: a
// full collection costs the next block its warm code; the random order spreads V8's own
// collections over all contenders alike.
// Per round: req/s, client CPU per request, and the median latency; the ratios between
// contenders are taken within a round.
import { contenders } from './contenders.mjs';
import { log, quantile, shuffled, sorted, spread } from './shared.mjs';

const { url, rounds: sequentialRounds, sequentialBlock, sequentialCycles, concurrentRounds, concurrentBlock, concurrentCycles, warmupMs, modes } = JSON.parse(process.argv[2]);

/** Run `fn` with `inFlight` loops for `ms`: requests, wall, client CPU, latencies. */
async function slice(fn, inFlight, ms) {
  const latencies = [];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  const loop = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      await fn();
      latencies.push(performance.now() - t);
    }
  };
  const loops = [];
  for (let i = 0; i < inFlight; i++) loops.push(loop());
  await Promise.all(loops);
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return { n: latencies.length, wall, cpuUs: cpu.user + cpu.system, latencies };
}

const list = await contenders(url);
const result = { contenders: list.map(({ id, label }) => ({ id, label })), modes: [] };

/** A block of `count` requests, `inFlight` at a time: latencies pushed to `into`; wall and CPU. */
async function block(fn, count, inFlight, into) {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let started = 0;
  const loop = async () => {
    while (started < count) {
      started += 1;
      const t = performance.now();
      await fn();
      into.push(performance.now() - t);
    }
  };
  const loops = [];
  for (let i = 0; i < Math.min(inFlight, count); i++) loops.push(loop());
  await Promise.all(loops);
  const cpu = process.cpuUsage(cpu0);
  return { n: count, wall: performance.now() - start, cpuUs: cpu.user + cpu.system };
}

// The contenders the targets compare (ky as bearerkit uses it, bearerkit with and without a
// schema) run back to back in each cycle, in a random order among themselves, the group placed at
// random among the others: the pairs that decide a target are never more than two blocks apart.
const KEY_IDS = ['kyLean', 'bk', 'bkSchema'];
const keyGroup = list.filter((c) => KEY_IDS.includes(c.id));
const others = list.filter((c) => !KEY_IDS.includes(c.id));
function cycleOrder() {
  return shuffled([keyGroup, ...others]).flatMap((item) => (Array.isArray(item) ? shuffled(item) : [item]));
}

for (const inFlight of modes) {
  log(`overhead: ${inFlight} in flight, warm-up`);
  for (const c of list) await slice(c.run, inFlight, warmupMs);
  const perRound = Object.fromEntries(list.map((c) => [c.id, []]));
  const latencies = Object.fromEntries(list.map((c) => [c.id, []]));
  const rounds = inFlight === 1 ? sequentialRounds : concurrentRounds;
  const cycles = inFlight === 1 ? sequentialCycles : concurrentCycles;
  const blockSize = inFlight === 1 ? sequentialBlock : concurrentBlock;
  for (let round = 0; round < rounds; round++) {
    const sum = Object.fromEntries(list.map((c) => [c.id, { n: 0, wall: 0, cpuUs: 0 }]));
    const add = (id, r) => {
      sum[id].n += r.n;
      sum[id].wall += r.wall;
      sum[id].cpuUs += r.cpuUs;
    };
    // Blocks of a few requests (sequentially) or a few waves of 64 (concurrently): every
    // contender once per cycle in a new random order, several cycles a round, so that the
    // contenders of a round see the same machine to within milliseconds and none always follows
    // the same other one; a block keeps its own code warm.
    for (let cycle = 0; cycle < cycles; cycle++) {
      for (const c of cycleOrder()) add(c.id, await block(c.run, blockSize, inFlight, latencies[c.id]));
    }
    for (const c of list) {
      const t = sum[c.id];
      const thisRound = latencies[c.id].slice(latencies[c.id].length - t.n);
      perRound[c.id].push({ rps: (t.n / t.wall) * 1000, cpuUs: t.cpuUs / t.n, n: t.n, p50: quantile(thisRound, 0.5) });
    }
    log(`overhead: ${inFlight} in flight, round ${round + 1}/${rounds}`);
  }
  const byId = {};
  for (const c of list) {
    const lat = sorted(latencies[c.id]);
    byId[c.id] = {
      rounds: perRound[c.id],
      rps: spread(perRound[c.id].map((r) => r.rps)),
      cpuUs: spread(perRound[c.id].map((r) => r.cpuUs)),
      p50: quantile(lat, 0.5),
      p99: quantile(lat, 0.99),
      requests: lat.length,
    };
  }
  // Per-round ratios: a contender against the limit (fetch) and against ky as bearerkit uses it,
  // both measured in the same round.
  for (const c of list) {
    const mine = perRound[c.id];
    byId[c.id].vsFetch = spread(mine.map((r, i) => r.rps / perRound.fetch[i].rps));
    // The typical request: the inverse ratio of the round's median latencies. At a fixed number
    // in flight, req/s = in flight ÷ mean latency (Little's law); the median leaves out the rare
    // multi-ms stalls that other processes cause on a shared machine and that dominate a round's
    // mean, so this ratio is stable where the raw req/s ratio swings by ±10% from round to round.
    byId[c.id].p50VsFetch = spread(mine.map((r, i) => perRound.fetch[i].p50 / r.p50));
    byId[c.id].p50VsKyLean = spread(mine.map((r, i) => perRound.kyLean[i].p50 / r.p50));
    byId[c.id].p50VsBk = spread(mine.map((r, i) => perRound.bk[i].p50 / r.p50));
    byId[c.id].vsKyLean = spread(mine.map((r, i) => r.rps / perRound.kyLean[i].rps));
    byId[c.id].cpuVsKyLean = spread(mine.map((r, i) => r.cpuUs / perRound.kyLean[i].cpuUs));
    byId[c.id].cpuVsFetch = spread(mine.map((r, i) => r.cpuUs / perRound.fetch[i].cpuUs));
    // Against bearerkit with a static key and no schema (the schema'd call, the jwt() client).
    byId[c.id].vsBk = spread(mine.map((r, i) => r.rps / perRound.bk[i].rps));
    byId[c.id].cpuVsBk = spread(mine.map((r, i) => r.cpuUs / perRound.bk[i].cpuUs));
  }
  for (const c of list) delete byId[c.id].rounds;
  result.modes.push({ inFlight, byId });
}

process.send(result, () => process.exit(0));
