/**
 * Starts N worker processes (worker.ts, each its own Node process and bearerkit client), runs
 * rounds of calls in all of them at once, and collects what each one saw.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { RunResult, WorkerConfig } from './worker.js';

export type { RunResult, WorkerConfig } from './worker.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** Under node_modules/, so the bundle's imports (ioredis, redis-semaphore, ky…) resolve from there. */
const BUNDLE = fileURLToPath(new URL('../../node_modules/.cache/bearerkit-fleet/worker.mjs', import.meta.url));

let bundled: Promise<string> | undefined;
/**
 * The worker and bearerkit's source, bundled once into plain JavaScript: 8 processes start in
 * well under a second instead of each compiling the TypeScript (~7 s for 8 on two cores).
 */
function workerScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [WORKER],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  }).then(() => BUNDLE);
  return bundled;
}

export interface FleetWorker {
  id: number;
  child: ChildProcess;
  /** Resolves when the process exits (with its signal, e.g. 'SIGKILL'). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  run(round: Round): Promise<RunResult>;
}

export interface Round {
  calls?: number;
  concurrency: number;
  durationMs?: number;
  /** Report when each request was sent (`RunResult.sent`). */
  record?: boolean;
}

export interface Fleet {
  workers: FleetWorker[];
  /** One round in every live worker at once; resolves with each one's result. */
  run(round: Round): Promise<RunResult[]>;
  /** Called with the worker that starts a login or refresh POST. */
  onAuth(listener: (worker: FleetWorker, path: string) => void): void;
  /** Asks every live worker to exit; kills any still there after 5 s. */
  stop(): Promise<void>;
}

export async function startFleet(
  count: number,
  config: Omit<WorkerConfig, 'id'>,
  secrets: Record<string, string>,
): Promise<Fleet> {
  const listeners: Array<(worker: FleetWorker, path: string) => void> = [];
  const script = await workerScript();
  const workers = await Promise.all(
    Array.from({ length: count }, async (_, id): Promise<FleetWorker> => {
      const child = fork(script, [], {
        execArgv: [],
        env: { ...process.env, ...secrets, FLEET_WORKER: JSON.stringify({ ...config, id }) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      const worker: FleetWorker = {
        id,
        child,
        exited,
        run(round) {
          return new Promise<RunResult>((resolve, reject) => {
            const onMessage = (message: { op: string } & RunResult) => {
              if (message.op !== 'done') return;
              child.off('message', onMessage);
              const { op: _op, ...result } = message;
              resolve(result);
            };
            child.on('message', onMessage);
            void exited.then(({ code, signal }) => reject(new Error(`worker ${id} exited (${signal ?? code}) during a run`)));
            child.send({ op: 'run', ...round });
          });
        },
      };
      child.on('message', (message: { op: string; path?: string }) => {
        if (message.op === 'auth') for (const listener of listeners) listener(worker, message.path ?? '');
      });
      await new Promise<void>((resolve, reject) => {
        const onMessage = (message: { op: string }) => {
          if (message.op !== 'ready') return;
          child.off('message', onMessage);
          resolve();
        };
        child.on('message', onMessage);
        void exited.then(({ code, signal }) => reject(new Error(`worker ${id} exited (${signal ?? code}) before it was ready`)));
      });
      return worker;
    }),
  );
  const alive = (w: FleetWorker): boolean => w.child.exitCode === null && w.child.signalCode === null;
  return {
    workers,
    run: (round) => Promise.all(workers.filter(alive).map((w) => w.run(round))),
    onAuth: (listener) => void listeners.push(listener),
    async stop() {
      await Promise.all(
        workers.filter(alive).map(async (w) => {
          w.child.send({ op: 'exit' });
          const timer = setTimeout(() => w.child.kill('SIGKILL'), 5_000);
          await w.exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

/** Totals over every worker's result. */
export function total(results: RunResult[]): { ok: number; failed: number; failures: Record<string, number>; attempts: number } {
  const failures: Record<string, number> = {};
  let ok = 0;
  let attempts = 0;
  for (const r of results) {
    ok += r.ok;
    attempts += r.attempts;
    for (const [name, n] of Object.entries(r.failures)) failures[name] = (failures[name] ?? 0) + n;
  }
  return { ok, failed: Object.values(failures).reduce((a, b) => a + b, 0), failures, attempts };
}
