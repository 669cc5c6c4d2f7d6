/**
 * One fleet worker: a separate Node process with its own bearerkit client, started by
 * `harness.ts` (tests and fleet/bench.ts). Its config comes in FLEET_WORKER (JSON). Over IPC:
 *   -> { op: 'ready' }                        once the client exists
 *   <- { op: 'run', calls, concurrency, durationMs?, record? }   send `calls` requests, `concurrency`
 *                                             at a time (with durationMs: keep going until then)
 *   -> { op: 'done', ok, failures, attempts, sent? } per run (sent: when each request went out)
 *   -> { op: 'auth', path }                   when it starts a login/refresh POST (so a test can kill it mid-renewal)
 *   <- { op: 'exit' }                         close the store and the Redis connection, exit 0
 */
import { Redis } from 'ioredis';
import { BearerkitError, Client, apiKey, jwt, session, type Credentials } from '../../src/index.js';
import { redisStore, type RedisStore } from '../../src/stores/redis.js';

export interface WorkerConfig {
  id: number;
  api: 'spherescout' | 'openprospect' | 'session';
  baseURL: string;
  /** Secrets come from the parent's environment copy, not from this JSON (see harness.ts). */
  path: string;
  redisPort?: number | undefined;
  leaseMs?: number | undefined;
  waitMs?: number | undefined;
  fallback?: boolean | undefined;
  refreshSkew?: number | undefined;
  maxRetries?: number | undefined;
}

export interface RunResult {
  ok: number;
  failures: Record<string, number>;
  /** HTTP attempts this worker sent (data requests only, not logins/refreshes). */
  attempts: number;
  /** When each data request was handed to fetch (epoch ms), when the round asked for it. */
  sent?: number[];
}

const config = JSON.parse(process.env.FLEET_WORKER ?? '{}') as WorkerConfig;
const secret = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`worker: ${name} is not set`);
  return value;
};

let redis: Redis | undefined;
let store: RedisStore | undefined;
if (config.redisPort !== undefined) {
  redis = new Redis({ host: '127.0.0.1', port: config.redisPort, lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  await redis.connect();
  store = redisStore({
    client: redis,
    ...(config.leaseMs === undefined ? {} : { leaseMs: config.leaseMs }),
    ...(config.waitMs === undefined ? {} : { waitMs: config.waitMs }),
    ...(config.fallback === undefined ? {} : { fallback: config.fallback }),
  });
}
const shared = store === undefined ? {} : { store };

let auth: Credentials;
if (config.api === 'spherescout') {
  auth = jwt({
    username: secret('FLEET_USERNAME'),
    password: secret('FLEET_PASSWORD'),
    ...(config.refreshSkew === undefined ? {} : { refreshSkew: config.refreshSkew }),
    ...shared,
  });
} else if (config.api === 'session') {
  auth = session({ apiKey: secret('FLEET_API_KEY'), sessionId: 'fleet', ...shared });
} else {
  auth = apiKey(secret('FLEET_API_KEY'), shared);
}

let attempts = 0;
let sent: number[] | undefined;
const AUTH_PATHS = ['/api/auth/login', '/api/token/refresh', '/auth/login'];
const instrumented: typeof fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const authPath = AUTH_PATHS.find((p) => url.endsWith(p));
  if (authPath !== undefined) process.send?.({ op: 'auth', path: authPath });
  else {
    attempts += 1;
    sent?.push(Date.now());
  }
  return fetch(input, init);
};

const client = new Client({
  baseURL: config.baseURL,
  auth,
  fetch: instrumented,
  ...(config.maxRetries === undefined ? {} : { maxRetries: config.maxRetries }),
});

async function run(calls: number, concurrency: number, durationMs: number | undefined, record: boolean): Promise<RunResult> {
  const failures: Record<string, number> = {};
  let ok = 0;
  let next = 0;
  attempts = 0;
  sent = record ? [] : undefined;
  const until = durationMs === undefined ? undefined : Date.now() + durationMs;
  const more = (): boolean => (until === undefined ? next < calls : Date.now() < until);
  const lane = async (): Promise<void> => {
    while (more()) {
      next += 1;
      try {
        await client.get(config.path);
        ok += 1;
      } catch (error) {
        const name = error instanceof BearerkitError ? error.name : 'non-BearerkitError';
        failures[name] = (failures[name] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { ok, failures, attempts, ...(sent === undefined ? {} : { sent }) };
}

process.on('message', (message: { op: string; calls?: number; concurrency?: number; durationMs?: number; record?: boolean }) => {
  if (message.op === 'run') {
    void run(message.calls ?? 1, message.concurrency ?? 1, message.durationMs, message.record === true).then((result) =>
      process.send?.({ op: 'done', ...result }),
    );
  } else if (message.op === 'exit') {
    void (async () => {
      await store?.close();
      redis?.disconnect();
      process.exit(0);
    })();
  }
});
process.send?.({ op: 'ready' });
