import { ConfigurationError } from '../errors.js';
import type { CredentialStore } from '../stores/types.js';
import type { AuthTransport } from './credentials.js';

/** The options every strategy takes to share its credential. */
export interface ShareOptions {
  /**
   * Where the credential's state lives. Default: this strategy alone, in memory (each process,
   * each tab on its own). `memoryStore()`, `redisStore()` or `browserStore()` to share it.
   */
  store?: CredentialStore;
  /**
   * The name the credential is shared under in `store`. Default: a SHA-256 hash of the client's
   * `baseURL`, the strategy and its identity (username, API key), so no secret is ever written
   * as a key. Give your own to share across base URLs, or to keep two credentials apart.
   */
  key?: string;
}

/**
 * A strategy's link to its store: the store, and the key, derived once (asynchronously: the
 * hash) from the first client's `baseURL`. Until the key is known, `notBefore()` is 0.
 */
export class Sharing {
  readonly store: CredentialStore;
  readonly #kind: string;
  #identity: string | undefined;
  #key: string | undefined;
  #pending: Promise<string> | undefined;
  /** The latest pause this strategy itself was told of (epoch ms). */
  #until = 0;

  /** `identity`: what tells this credential apart under one baseURL (hashed, never stored as such). */
  constructor(store: CredentialStore, kind: string, key: string | undefined, identity?: string) {
    if (key !== undefined && (typeof key !== 'string' || key === '')) {
      throw new ConfigurationError('`key` must be a non-empty string.');
    }
    this.store = store;
    this.#kind = kind;
    this.#key = key;
    this.#identity = identity;
  }

  /** For a strategy whose identity is known only later (a key read from a function). */
  identify(identity: string): void {
    this.#identity ??= identity;
  }

  /** The key, when it is already known (synchronous). */
  get known(): string | undefined {
    return this.#key;
  }

  /** Start deriving the key from this client's `baseURL` (once; cheap when already started). */
  bind(auth: AuthTransport): void {
    if (this.#key === undefined && this.#pending === undefined) void this.key(auth).catch(() => undefined);
  }

  key(auth: AuthTransport): Promise<string> {
    if (this.#key !== undefined) return Promise.resolve(this.#key);
    this.#pending ??= this.#derive(auth.baseURL ?? '').then(
      (key) => (this.#key = key),
      (error: unknown) => {
        this.#pending = undefined;
        throw error;
      },
    );
    return this.#pending;
  }

  notBefore(): number {
    const key = this.#key;
    const shared = key === undefined ? 0 : this.store.notBefore(key);
    return shared > this.#until ? shared : this.#until;
  }

  rateLimited(until: number): void {
    // Honoured here at once, even before the key is known or the store has answered.
    if (until > this.#until) this.#until = until;
    const key = this.#key;
    if (key !== undefined) this.store.rateLimited(key, until);
    else void this.#pending?.then((k) => this.store.rateLimited(k, until)).catch(() => undefined);
  }

  async #derive(baseURL: string): Promise<string> {
    if (this.#identity === undefined) {
      throw new ConfigurationError(`${this.#kind}: pass \`key\` to share this credential in a store.`);
    }
    const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
    if (subtle === undefined) {
      throw new ConfigurationError(`${this.#kind}: no WebCrypto here to derive the store key: pass \`key\`.`);
    }
    const input = new TextEncoder().encode(`bearerkit\n${this.#kind}\n${baseURL}\n${this.#identity}`);
    const digest = new Uint8Array(await subtle.digest('SHA-256', input));
    let hex = '';
    for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
    return `${this.#kind}:${hex}`;
  }
}
