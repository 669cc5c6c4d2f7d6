/**
 * bearerkit/redis: `redisStore()`, a `CredentialStore` on Redis, so a fleet of processes shares
 * one credential, one renewal and one rate limit. Node only (it drives an ioredis client).
 *
 * Keys (`prefix` defaults to `bearerkit:`; `<key>` is a strategy's key, a hash by default):
 * - `<prefix><key>:tokens`  the stored credential, JSON (tokens as values; never a password or API key)
 * - `mutex:<prefix><key>:lease`  the renewal lease (redis-semaphore's mutex: SET NX PX <uuid>)
 * - `<prefix><key>:notbefore`  exists while a 429's Retry-After runs; its TTL is the time left
 * - channel `<prefix>events`  "tokens written", "lease released", "rate limited for N ms"
 */
import type { Redis } from 'ioredis';
import { Mutex } from 'redis-semaphore';
import { ConfigurationError } from '../errors.js';
import { CredentialStoreError, type CredentialStore, type LeaseOptions, type StoredCredential } from './types.js';
import { Wakers, waitForLease } from './wait.js';

export { CredentialStoreError } from './types.js';
export type { CredentialStore, StoredCredential } from './types.js';

export interface RedisStoreOptions extends LeaseOptions {
  /** A connected ioredis client. The store also opens one `client.duplicate()` for pub/sub (closed by `close()`). */
  client: Redis;
  /** Prefix of every key and of the channel. @default 'bearerkit:' */
  prefix?: string;
  /** A lease lasts this long unless its holder extends it (every third of it, while alive). @default 10_000 */
  leaseMs?: number;
  /** The longest a renewal waits for another process's lease. @default 30_000 */
  waitMs?: number;
  /** The longest one Redis command may take before the store counts Redis as unavailable. @default 5_000 */
  commandTimeoutMs?: number;
  /**
   * When Redis is unavailable: `false` (default) fails the renewal with a `CredentialStoreError`;
   * `true` falls back to per-process behaviour (each process renews on its own, as without a
   * store) until Redis answers again. A valid token already held keeps working either way.
   */
  fallback?: boolean;
}

export interface RedisStore extends CredentialStore {
  /** Closes the store's pub/sub connection (not your client). */
  close(): Promise<void>;
}

/** Write `value` unless the stored credential has a version at least as high; announce it. */
const SET_TOKENS = `
local current = redis.call('get', KEYS[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and tonumber(decoded.version) and tonumber(decoded.version) >= tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('set', KEYS[1], ARGV[1])
redis.call('publish', ARGV[3], ARGV[4])
return 1`;

/** Make the not-before key live `ms` more, unless it already lives longer; announce it. */
const RATE_LIMITED = `
local left = redis.call('pttl', KEYS[1])
if left < tonumber(ARGV[1]) then
  redis.call('set', KEYS[1], '1', 'PX', ARGV[1])
  redis.call('publish', ARGV[2], ARGV[3])
  return 1
end
return 0`;

/** After a failed Redis command, the store fails fast for this long before it asks Redis again. */
const FAIL_FAST_MS = 2_000;

/** How often a process without a live subscription reads a followed not-before again. */
const NOT_BEFORE_POLL_MS = 100;

interface Message {
  t: 'tokens' | 'free' | 'nb';
  k: string;
  ms?: number;
}

/**
 * A credential store on Redis: renewal is single-flight across every process sharing `client`'s
 * Redis, through a lease lock (redis-semaphore's mutex: `SET NX PX` with a unique value, extended
 * while its holder lives, released atomically only by its owner); the others wait for the new
 * token and adopt it. A 429's `Retry-After` pauses every process: it is kept in Redis as a key
 * whose TTL is the pause, and published over pub/sub into each process's local copy, so no
 * request pays a Redis round trip. While a process's subscription is not (yet, or no longer)
 * live, it reads that key in the background instead, at most every 100 ms.
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const { client } = options;
  if (client === null || typeof client !== 'object' || typeof client.eval !== 'function' || typeof client.duplicate !== 'function') {
    throw new ConfigurationError('redisStore(): `client` must be a connected ioredis client.');
  }
  const prefix = options.prefix ?? 'bearerkit:';
  const leaseMs = positive('leaseMs', options.leaseMs ?? 10_000);
  const waitMs = positive('waitMs', options.waitMs ?? 30_000);
  const commandTimeoutMs = positive('commandTimeoutMs', options.commandTimeoutMs ?? 5_000);
  const fallback = options.fallback === true;
  const channel = `${prefix}events`;
  const pollMs = Math.max(20, Math.min(250, Math.floor(leaseMs / 4)));

  const notBefore = new Map<string, number>();
  /** Keys whose not-before this process follows, and when it last read each from Redis. */
  const followed = new Map<string, number>();
  const wakers = new Wakers();
  let subscriber: Redis | undefined;
  /** True while the subscription is known to be in place (SUBSCRIBE answered, connection up). */
  let live = false;
  let closed = false;
  /** After a failed command, Redis counts as unavailable until then: fail fast instead of waiting again. */
  let downUntil = 0;
  let downReason = '';

  const tokensKey = (key: string): string => `${prefix}${key}:tokens`;
  const notBeforeKey = (key: string): string => `${prefix}${key}:notbefore`;

  function raise(until: number, key: string): void {
    if (until > (notBefore.get(key) ?? 0)) notBefore.set(key, until);
  }

  function onMessage(_channel: string, text: string): void {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (typeof message.k !== 'string') return;
    if (message.t === 'nb' && typeof message.ms === 'number') raise(Date.now() + message.ms, message.k);
    else wakers.notify(message.k);
  }

  /**
   * Subscribe once, lazily: the first time the store is used. Pub/sub drops what is published
   * while a subscriber is away, so the subscription counts as live only once SUBSCRIBE answered,
   * and each time it (re)starts the not-before of every followed key is read again.
   */
  function listen(): void {
    if (subscriber !== undefined || closed) return;
    const sub = client.duplicate({ lazyConnect: false });
    subscriber = sub;
    client.on('ready', reconnected);
    // ioredis prints unhandled connection errors; the store reports Redis failures through its commands instead.
    sub.on('error', () => undefined);
    sub.on('message', onMessage);
    const down = (): void => {
      live = false;
    };
    sub.on('close', down);
    sub.on('reconnecting', down);
    sub.on('end', down);
    sub.on('ready', () => {
      reconnected();
      sub.subscribe(channel).then(
        () => {
          if (subscriber !== sub) return;
          live = true;
          for (const key of followed.keys()) readNotBefore(key);
        },
        () => undefined,
      );
    });
  }

  /** A new connection: whatever failed before is worth trying again at once. */
  function reconnected(): void {
    downUntil = 0;
  }

  /** One Redis command, bounded in time; a failure is a `CredentialStoreError` that names no secret. */
  async function command<T>(what: string, run: () => Promise<T>): Promise<T> {
    listen();
    if (client.status === 'end' || client.status === 'close' || client.status === 'reconnecting') {
      throw new CredentialStoreError(`Redis credential store unavailable (${what}: connection ${client.status}).`);
    }
    if (downUntil > Date.now()) {
      throw new CredentialStoreError(`Redis credential store unavailable (${what}: ${downReason}).`);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new CredentialStoreError(`Redis credential store unavailable (${what}: no answer within ${commandTimeoutMs} ms).`)),
            commandTimeoutMs,
          );
        }),
      ]);
    } catch (error) {
      const reason = error instanceof CredentialStoreError ? `no answer within ${commandTimeoutMs} ms` : error instanceof Error ? error.message : String(error);
      downUntil = Date.now() + FAIL_FAST_MS;
      downReason = `${reason}; not retried for ${FAIL_FAST_MS} ms`;
      if (error instanceof CredentialStoreError) throw error;
      throw new CredentialStoreError(`Redis credential store unavailable (${what}: ${reason}).`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async function publish(message: Message): Promise<void> {
    await command('publish', () => client.publish(channel, JSON.stringify(message)));
  }

  /** Read `key`'s not-before from Redis, in the background (its TTL: no clock is compared across machines). */
  function readNotBefore(key: string): void {
    followed.set(key, Date.now());
    void command('pttl', () => client.pttl(notBeforeKey(key))).then(
      (left) => {
        if (left > 0) raise(Date.now() + left, key);
      },
      () => undefined,
    );
  }

  /**
   * Follow `key`'s not-before: read it once (a pause may have begun before this process came),
   * then learn of new ones from pub/sub; while the subscription is not live, read it again in
   * the background at most every `pollMs` instead (never in a request's path).
   */
  function follow(key: string): void {
    const last = followed.get(key);
    if (last === undefined || (!live && Date.now() - last >= NOT_BEFORE_POLL_MS)) readNotBefore(key);
  }

  const store: RedisStore = {
    async get(key) {
      follow(key);
      let text: string | null;
      try {
        text = await command('get', () => client.get(tokensKey(key)));
      } catch (error) {
        if (fallback) return undefined;
        throw error;
      }
      return text === null ? undefined : parse(text);
    },

    async set(key, value) {
      const message: Message = { t: 'tokens', k: key };
      try {
        await command('set', () =>
          client.eval(SET_TOKENS, 1, tokensKey(key), JSON.stringify(value), value.version, channel, JSON.stringify(message)),
        );
      } catch (error) {
        if (!fallback) throw error;
      }
    },

    async exclusive(key, renew, adopt) {
      const tryLease = async (): Promise<{ value: Awaited<ReturnType<typeof renew>> } | undefined> => {
        const mutex = new Mutex(client, `${prefix}${key}:lease`, {
          lockTimeout: leaseMs,
          acquireAttemptsLimit: 1,
          retryInterval: 0,
          refreshInterval: Math.max(1, Math.floor(leaseMs / 3)),
          // Lost (Redis restarted, or this process stalled past the lease): the renewal goes on; its
          // write is versioned, so it can never replace a newer credential.
          onLockLost: () => undefined,
        });
        let acquired: boolean;
        try {
          acquired = await command('lease', () => mutex.tryAcquire());
        } catch (error) {
          if (!fallback) throw error;
          // Per-process behaviour while Redis is away: this process renews on its own (its local single-flight still holds).
          return { value: await renew() };
        }
        if (!acquired) return undefined;
        try {
          return { value: await renew() };
        } finally {
          // Released only by its owner (compare-and-delete in one script). If Redis is gone, it expires.
          await command('release', () => mutex.release()).catch(() => undefined);
          void publish({ t: 'free', k: key }).catch(() => undefined);
        }
      };
      return waitForLease({
        tryLease,
        adopt,
        changed: (ms) => wakers.changed(key, ms),
        waitMs,
        pollMs,
        what: 'redis store',
      });
    },

    notBefore(key) {
      if (!live || !followed.has(key)) follow(key);
      return notBefore.get(key) ?? 0;
    },

    rateLimited(key, until) {
      raise(until, key);
      const ms = Math.ceil(until - Date.now());
      if (ms <= 0) return;
      const message: Message = { t: 'nb', k: key, ms };
      void command('rate limit', () => client.eval(RATE_LIMITED, 1, notBeforeKey(key), ms, channel, JSON.stringify(message))).catch(
        () => undefined,
      );
    },

    async close() {
      closed = true;
      live = false;
      const sub = subscriber;
      subscriber = undefined;
      client.off('ready', reconnected);
      if (sub !== undefined) {
        try {
          await sub.quit();
        } catch {
          sub.disconnect();
        }
      }
    },
  };
  return store;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new ConfigurationError(`redisStore(): \`${name}\` must be a whole number of ms above 0.`);
  return value;
}

function parse(text: string): StoredCredential | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredCredential>;
    if (typeof value.access !== 'string' || typeof value.version !== 'number') return undefined;
    return {
      access: value.access,
      refresh: typeof value.refresh === 'string' ? value.refresh : undefined,
      renewAt: typeof value.renewAt === 'number' ? value.renewAt : undefined,
      version: value.version,
    };
  } catch {
    return undefined;
  }
}
