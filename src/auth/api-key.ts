import { ConfigurationError } from '../errors.js';
import { isBearerToken } from './bearer-token.js';
import type { AuthTransport, Credentials } from './credentials.js';
import { RenewingCredentials } from './renewing.js';
import { type ShareOptions, Sharing } from './sharing.js';

export type KeySource = string | (() => string | Promise<string>);

/** What an API key shares through a store: its rate limit only (the key itself is never written). */
export type ApiKeyOptions = ShareOptions;

/** Give `credentials` the pipeline's rate-limit hooks, backed by `sharing`. */
function shareRateLimit(credentials: { notBefore?: () => number; rateLimited?: (until: number) => void }, sharing: Sharing): void {
  credentials.notBefore = () => sharing.notBefore();
  credentials.rateLimited = (until) => sharing.rateLimited(until);
}

/** A static key: the same token on every request; a 401 stands. */
class StaticKey implements Credentials {
  readonly #key: string;
  readonly #sharing: Sharing | undefined;
  declare notBefore?: () => number;
  declare rateLimited?: (until: number) => void;
  constructor(key: string, options: ApiKeyOptions | undefined) {
    this.#key = checked(key);
    if (options?.store !== undefined) {
      this.#sharing = new Sharing(options.store, 'apikey', options.key, this.#key);
      shareRateLimit(this, this.#sharing);
    }
  }
  token(auth: AuthTransport): string {
    if (this.#sharing !== undefined && this.#sharing.known === undefined) this.#sharing.bind(auth);
    return this.#key;
  }
  async renew(): Promise<undefined> {
    return undefined;
  }
}

/** A key read from a function: read once, and again after a 401 (a rotated key replays the request once). */
class KeyFunction extends RenewingCredentials {
  readonly #read: () => string | Promise<string>;
  readonly #sharing: Sharing | undefined;
  constructor(read: () => string | Promise<string>, options: ApiKeyOptions | undefined) {
    // No store for the renewal itself: the key is read from the function in each process, never stored.
    super(0);
    this.#read = read;
    if (options?.store !== undefined) {
      this.#sharing = new Sharing(options.store, 'apikey', options.key);
      shareRateLimit(this, this.#sharing);
    }
  }
  protected async obtain(auth: AuthTransport): Promise<string> {
    const key = checked(await this.#read());
    this.keep(key, undefined);
    // Without a `key` option, the rate limit is shared under a hash of the first key read.
    this.#sharing?.identify(key);
    this.#sharing?.bind(auth);
    return key;
  }
}

/** The key, when a header can carry it; never echoes it in the error. */
function checked(key: unknown): string {
  if (!isBearerToken(key)) {
    throw new ConfigurationError(
      typeof key === 'string' && key !== ''
        ? 'The API key contains whitespace, a line break or a character a header cannot carry.'
        : 'The API key must be a non-empty string.',
    );
  }
  return key;
}

/**
 * An API key sent as the Bearer token. `key` is a string, or a function returning one (or a
 * promise of one): on a 401 the function is called again, and a different key replays the
 * request once. With `store`, a 429's `Retry-After` pauses every process or tab sharing the
 * key (the key itself is never written to the store).
 */
export function apiKey(key: KeySource, options?: ApiKeyOptions): Credentials {
  return typeof key === 'function' ? new KeyFunction(key, options) : new StaticKey(key, options);
}
