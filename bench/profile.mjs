// CPU profiles (child process): `count` sequential requests per contender under the V8 sampling
// profiler (what `node --cpu-prof` records, taken through node:inspector so that only the
// measured loops are in it). Reports self time per function and per owner (bearerkit, ky,
// p-retry, zod, undici, Node, GC), in µs per request. With `out`, writes one chunk's
// .cpuprofile per contender there (bench/.cache/, open it in Chrome DevTools).
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { contenders } from './contenders.mjs';
import { pathToFileURL } from 'node:url';
import { log, pkgDir, shuffled } from './shared.mjs';

const PKG_URL = pathToFileURL(pkgDir()).href;

const { url, ids, count, rounds, warmup, out, inFlight = 1 } = JSON.parse(process.argv[2]);
const all = await contenders(url);
const list = ids.map((id) => {
  const c = all.find((x) => x.id === id);
  if (!c) throw new Error(`no contender ${id}`);
  return c;
});

// Contenders interleaved in chunks (count / rounds requests each), each chunk recorded on its own,
// so that load from other processes falls on all of them alike.
for (const c of list) for (let i = 0; i < warmup; i++) await c.run();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
const profiles = Object.fromEntries(ids.map((id) => [id, []]));
const chunk = Math.ceil(count / rounds);
for (let round = 0; round < rounds; round++) {
  // A new random order each round: no contender always pays for the garbage of the same other one.
  // (No forced gc() between chunks: a full collection costs the next chunk its warm code.)
  for (const c of shuffled(list)) {
    await session.post('Profiler.start');
    let started = 0;
    const loop = async () => {
      while (started < chunk) {
        started += 1;
        await c.run();
      }
    };
    await Promise.all(Array.from({ length: inFlight }, loop));
    const { profile } = await session.post('Profiler.stop');
    profiles[c.id].push(profile);
  }
}
session.disconnect();
if (out) for (const id of ids) writeFileSync(`${out}/${id}.cpuprofile`, JSON.stringify(profiles[id][0]));
log('profile: done');

function owner(callFrame) {
  const { url: file, functionName } = callFrame;
  if (file.startsWith(PKG_URL)) return 'bearerkit';
  if (file.includes('/node_modules/ky/')) return 'ky';
  if (file.includes('/node_modules/p-retry/') || file.includes('/node_modules/is-network-error/')) return 'p-retry';
  if (file.includes('/node_modules/zod/')) return 'zod';
  if (file.includes('node:internal/deps/undici')) return 'undici (fetch)';
  if (file.includes('/bench/')) return 'benchmark loop';
  if (file.startsWith('node:')) return 'Node (streams, events, timers, AbortController)';
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8 (program)';
  return 'native (socket writes, JSON.parse, …)';
}

function shortFile(file) {
  return file
    .replace(`${PKG_URL}/dist/`, 'bearerkit/dist/')
    .replace(/^.*\/node_modules\//, '')
    .replace(/^node:internal\/deps\//, '')
    .replace(/^file:\/\/.*\/bench\//, 'bench/');
}

function shortWhere(cf) {
  return cf.url ? `${shortFile(cf.url)}:${cf.lineNumber + 1}` : '';
}

/** Self time per function and per owner, in µs per request, over all of a contender's chunks. */
function analyze(id) {
  const byFunction = new Map();
  const byOwner = new Map();
  let busy = 0;
  for (const profile of profiles[id]) {
    const timeOf = new Map();
    for (let i = 0; i < profile.samples.length; i++) {
      timeOf.set(profile.samples[i], (timeOf.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
    for (const node of profile.nodes) {
      const t = timeOf.get(node.id) ?? 0;
      const cf = node.callFrame;
      if (t === 0 || cf.functionName === '(idle)') continue;
      busy += t;
      const where = shortWhere(cf);
      const key = `${cf.functionName}\u0000${where}`;
      const e = byFunction.get(key) ?? { fn: cf.functionName || '(anonymous)', where, owner: owner(cf), us: 0 };
      e.us += t;
      byFunction.set(key, e);
      byOwner.set(e.owner, (byOwner.get(e.owner) ?? 0) + t);
    }
  }
  const n = chunk * rounds;
  return {
    id,
    label: list.find((c) => c.id === id).label,
    count: n,
    busyUsPerRequest: busy / n,
    top: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 15)
      .map((e) => ({ ...e, us: e.us / n, share: e.us / busy })),
    // bearerkit's own layer, function by function (with p-retry, which it drives).
    own: [...byFunction.values()]
      .filter((e) => e.owner === 'bearerkit' || e.owner === 'p-retry')
      .sort((a, b) => b.us - a.us)
      .slice(0, 10)
      .map((e) => ({ ...e, us: e.us / n, share: e.us / busy })),
    owners: [...byOwner].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ owner: name, us: us / n, share: us / busy })),
  };
}

process.send(Object.fromEntries(ids.map((id) => [id, analyze(id)])), () => process.exit(0));
