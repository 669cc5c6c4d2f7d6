// Memory (child process, --expose-gc): one Client, `total` requests at 64 in flight, half of them
// with a schema. The heap is read after a full gc at checkpoints; growth = heap after `total`
// requests − heap after the first 1,000. A leak (a listener, a timer, a cached response per
// call) shows as growth that keeps rising from checkpoint to checkpoint.
import { Item, KEY } from './contenders.mjs';
import { entry, log } from './shared.mjs';

const { url, total, inFlight } = JSON.parse(process.argv[2]);
const { Client } = await import(entry('index'));
const client = new Client(KEY, { baseURL: url });

async function settle() {
  // Let the sockets' and streams' callbacks run, then collect twice (weak refs, finalizers).
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    globalThis.gc();
  }
  return process.memoryUsage();
}

let sent = 0;
async function runUntil(count) {
  const loop = async () => {
    while (sent < count) {
      const i = sent++;
      await (i % 2 === 0 ? client.get('/item') : client.get('/item', { schema: Item }));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
}

const checkpoints = [];
const start = performance.now();
const marks = [1_000];
for (let n = Math.max(10_000, Math.round(total / 10 / 1000) * 1000); n < total; n += Math.max(10_000, Math.round(total / 10 / 1000) * 1000)) marks.push(n);
marks.push(total);
for (const mark of marks) {
  await runUntil(mark);
  const m = await settle();
  checkpoints.push({ requests: mark, heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers });
  log(`memory: ${mark} requests, heap ${(m.heapUsed / 1048576).toFixed(2)} MB`);
}
const first = checkpoints[0];
const last = checkpoints[checkpoints.length - 1];
process.send(
  {
    total,
    inFlight,
    seconds: (performance.now() - start) / 1000,
    checkpoints,
    growth: last.heapUsed - first.heapUsed,
    rssGrowth: last.rss - first.rss,
    externalGrowth: last.external - first.external,
  },
  () => process.exit(0),
);
