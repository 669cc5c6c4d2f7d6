// Shared by the benchmark's parts: the response body, a JWT maker, the server launcher, the
// built package's location, and the statistics.
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

/** The ~300-byte JSON body every data route answers with (a company record). */
export const ITEM = {
  id: 'cmp_01HZX3Q8K4V7M2N6P9R5T1W8Y3',
  name: 'Example Widgets GmbH',
  country: 'DE',
  website: 'https://widgets.example',
  email: 'sales@widgets.example',
  employees: 240,
  founded: 2009,
  verified: true,
  score: 0.87,
  tags: ['manufacturing', 'b2b', 'export'],
  updated_at: '2026-11-23T08:00:00Z',
};
export const BODY = Buffer.from(JSON.stringify(ITEM));
export const JSON_HEADERS = { 'content-type': 'application/json', 'content-length': String(BODY.length) };

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A JWT-shaped token whose `exp` is `expiresInMs` from now (unsigned: only `exp` matters here). */
export function fakeJwt(expiresInMs, id = String(Math.random()).slice(2, 10)) {
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ exp: Math.floor((Date.now() + expiresInMs) / 1000), jti: id })}.sig`;
}

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
/**
 * The built package the benchmark measures: a copy of dist/ made at the start of a run
 * (bench/.cache/node_modules/bearerkit), so a rebuild during the run cannot change or remove
 * it. Its own imports (ky, p-retry, zod) resolve to the project's node_modules.
 */
export const SNAPSHOT_DIR = join(BENCH_DIR, '.cache', 'node_modules', 'bearerkit');
/** The package measured: the snapshot, or another build given with `--pkg=DIR` (BENCH_PKG_DIR). */
export const pkgDir = () => process.env.BENCH_PKG_DIR || SNAPSHOT_DIR;
/** file: URL of a built entry: `index`, `spherescout`, `scamverify`, `openprospect`. */
export const entry = (name) => pathToFileURL(join(pkgDir(), 'dist', `${name}.js`)).href;

/** Start bench/server.mjs in a child process; resolves to { url, stats(), reset(), close() }. */
export function startServer() {
  const child = fork(join(BENCH_DIR, 'server.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    const early = (code) => reject(new Error(`bench server exited (${code})`));
    child.once('exit', early);
    child.once('message', ({ port }) => {
      child.off('exit', early);
      const url = `http://127.0.0.1:${port}`;
      resolve({
        url,
        pid: child.pid,
        stats: () => serverStats(url),
        reset: () => resetServer(url),
        close: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.disconnect();
          }),
      });
    });
  });
}

export async function serverStats(url) {
  return (await fetch(`${url}/__stats`)).json();
}
export async function resetServer(url) {
  await (await fetch(`${url}/__reset`, { method: 'POST' })).text();
}

// ---- statistics ----

/** A copy of `items` in a random order (Fisher-Yates): contenders run in a new order each cycle. */
export function shuffled(items) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const sorted = (values) => Float64Array.from(values).sort();
/** The q-quantile (0..1) of `values`, linear between ranks. */
export function quantile(values, q) {
  const s = values instanceof Float64Array && isSorted(values) ? values : sorted(values);
  if (s.length === 0) return NaN;
  const rank = (s.length - 1) * q;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo] + (s[hi] - s[lo]) * (rank - lo);
}
function isSorted(a) {
  for (let i = 1; i < a.length; i++) if (a[i - 1] > a[i]) return false;
  return true;
}
export const median = (values) => quantile(values, 0.5);
/** `{ median, p25, p75, min, max }` of per-round values. */
export function spread(values) {
  const s = sorted(values);
  return { median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75), min: s[0], max: s[s.length - 1], n: s.length };
}

// ---- formatting ----

export const fmt = (value, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
export const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
/** "0.97× (0.93–1.01)": the median and the interquartile range of per-round ratios. */
export const ratioSpread = (s) => (s && Number.isFinite(s.median) ? `${s.median.toFixed(2)}× (${s.p25.toFixed(2)}–${s.p75.toFixed(2)})` : 'n/a');
export const bytes = (n) => `${n < 0 ? '−' : ''}${(Math.abs(n) / 1048576).toFixed(2)} MB`;

/** A markdown table. */
export function table(head, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Progress on stderr, so stdout stays the report. */
export const log = (...parts) => process.stderr.write(`${parts.join(' ')}\n`);
