import { BearerkitError } from '../errors.js';

/**
 * What a store keeps for one credential: the tokens (values only: never a password or an API
 * key), when the access token is due, and a version that grows with every write, so a reader
 * never takes an older credential for a newer one.
 */
export interface StoredCredential {
  access: string;
  /** The current refresh token (rotated ones replace it in the same write as the access token). */
  refresh?: string | undefined;
  /** Epoch ms from which `access` is renewed before use; undefined: only after a 401. */
  renewAt?: number | undefined;
  /** 1 for the first write, +1 for each renewal after it. */
  version: number;
}

/**
 * Where a credential's state lives when more than one client shares it: the tokens, the renewal
 * lease and a rate-limit "not before" time. `memoryStore()` shares within one process,
 * `redisStore()` (`bearerkit/redis`) across processes, `browserStore()` (`bearerkit/browser`)
 * across the tabs of one origin.
 *
 * The request hot path never calls a store: a strategy keeps its valid token in memory and
 * consults the store only when the token is missing, due or rejected, and when a 429 arrives.
 * `key` is the name the credential is shared under (a hash by default, never a secret).
 */
export interface CredentialStore {
  /** The credential stored under `key`, or undefined. */
  get(key: string): Promise<StoredCredential | undefined>;
  /** Store `value` under `key` (one atomic write: access and refresh token together). */
  set(key: string, value: StoredCredential): Promise<void>;
  /**
   * Single-flight renewal among everyone sharing the store. Take `key`'s renewal lease, run
   * `renew` under it and release the lease only after `renew` settled (so what it wrote is
   * visible before anyone else holds the lease). While another holder has the lease, call
   * `adopt` whenever `key` may have changed (and now and then): the first value it resolves
   * to ends the wait without renewing. Every wait is bounded: past it, reject with a
   * `CredentialStoreError`. A lease whose holder died is recovered (it expires).
   */
  exclusive<T>(key: string, renew: () => Promise<T>, adopt: () => Promise<T | undefined>): Promise<T>;
  /** Epoch ms before which nothing should be sent with `key`'s credential; 0 when none. Synchronous: a local copy. */
  notBefore(key: string): number;
  /** A 429 asked to send nothing with `key`'s credential before `until` (epoch ms): tell every sharer. Never moves the time back. */
  rateLimited(key: string, until: number): void;
}

/** The credential store failed (Redis unreachable, a lease wait ran out…). Its message names no secret. */
export class CredentialStoreError extends BearerkitError {
  override name = 'CredentialStoreError';
}

/** Options every store takes for its lease. */
export interface LeaseOptions {
  /** How long a lease lasts without its holder renewing it (a dead holder's lease expires after this). */
  leaseMs?: number;
  /** The longest a renewal waits for another holder's lease; then `CredentialStoreError`. */
  waitMs?: number;
}
