import { ConfigurationError } from '../errors.js';
import { isBearerToken } from './bearer-token.js';
import type { AuthTransport, Credentials } from './credentials.js';
import { RenewingCredentials } from './renewing.js';

export type KeySource = string | (() => string | Promise<string>);

/** A static key: the same token on every request; a 401 stands. */
class StaticKey implements Credentials {
  readonly #key: string;
  constructor(key: string) {
    this.#key = checked(key);
  }
  token(): string {
    return this.#key;
  }
  async renew(): Promise<undefined> {
    return undefined;
  }
}

/** A key read from a function: read once, and again after a 401 (a rotated key replays the request once). */
class KeyFunction extends RenewingCredentials {
  readonly #read: () => string | Promise<string>;
  constructor(read: () => string | Promise<string>) {
    super(0);
    this.#read = read;
  }
  protected async obtain(_auth: AuthTransport): Promise<string> {
    const key = checked(await this.#read());
    this.keep(key, undefined);
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
 * request once.
 */
export function apiKey(key: KeySource): Credentials {
  return typeof key === 'function' ? new KeyFunction(key) : new StaticKey(key);
}
