import type { CredentialStore, LeaseOptions, StoredCredential } from './types.js';
import { Wakers, waitForLease } from './wait.js';

/**
 * A store in this process's memory. Without any store a strategy already keeps its own state
 * in memory (that is the default); pass one `memoryStore()` to several strategies (several
 * clients, under one `key`) to make them share one credential, one renewal and one rate limit.
 */
export function memoryStore(options: Pick<LeaseOptions, 'waitMs'> = {}): CredentialStore {
  const records = new Map<string, StoredCredential>();
  const notBefore = new Map<string, number>();
  const held = new Set<string>();
  const wakers = new Wakers();
  const waitMs = options.waitMs ?? 30_000;

  return {
    async get(key) {
      const record = records.get(key);
      return record === undefined ? undefined : { ...record };
    },
    async set(key, value) {
      records.set(key, { ...value });
      wakers.notify(key);
    },
    exclusive(key, renew, adopt) {
      return waitForLease({
        tryLease: async () => {
          if (held.has(key)) return undefined;
          held.add(key);
          try {
            return { value: await renew() };
          } finally {
            held.delete(key);
            wakers.notify(key);
          }
        },
        adopt,
        changed: (ms) => wakers.changed(key, ms),
        waitMs,
        pollMs: waitMs,
        what: 'memory store',
      });
    },
    notBefore(key) {
      return notBefore.get(key) ?? 0;
    },
    rateLimited(key, until) {
      if (until > (notBefore.get(key) ?? 0)) notBefore.set(key, until);
    },
  };
}
