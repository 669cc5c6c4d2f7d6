/**
 * A real `redis-server` for the fleet tests and the fleet benchmark: started on a free port on
 * 127.0.0.1 with no persistence, stopped (SIGTERM, then SIGKILL) by `stop()`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface RedisServer {
  port: number;
  url: string;
  process: ChildProcess;
  /** A new connected client (closed by the caller). */
  connect(options?: { maxRetriesPerRequest?: number | null; enableOfflineQueue?: boolean }): Promise<Redis>;
  stop(): Promise<void>;
}

export function redisServerPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startRedis(port?: number): Promise<RedisServer> {
  const bin = redisServerPath();
  if (bin === undefined) {
    throw new Error('redis-server is not installed: `apt-get install -y redis-server` (the fleet tests need a real Redis).');
  }
  const chosen = port ?? (await freePort());
  const child = spawn(bin, ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const connect: RedisServer['connect'] = async (options = {}) => {
    const client = new Redis({ host: '127.0.0.1', port: chosen, lazyConnect: true, ...options });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      client.disconnect(); // or it keeps reconnecting (and keeps the process alive)
      throw error;
    }
    return client;
  };

  // Wait until it answers PING (at most 10 s).
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited at start: ${output.slice(-500)}`);
    try {
      const probe = await connect({ maxRetriesPerRequest: 0 });
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${chosen}: ${output.slice(-500)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    process: child,
    connect,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
