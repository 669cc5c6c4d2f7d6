import { AuthenticationError, ConfigurationError } from '../errors.js';
import type { AuthTransport, Credentials } from './credentials.js';
import { readTokenResponse } from './token-response.js';
import { RenewingCredentials } from './renewing.js';
import { type ShareOptions, Sharing } from './sharing.js';

export interface TokenPair {
  access: string;
  refresh: string;
}

export interface JwtOptions extends ShareOptions {
  username?: string;
  password?: string;
  /** @default '/api/auth/login' */
  loginPath?: string;
  /** @default '/api/token/refresh' */
  refreshPath?: string;
  /** Renew this many ms before the access token's `exp`. @default 60_000 */
  refreshSkew?: number;
  /** A saved pair to start from: no login until it fails. */
  tokens?: TokenPair;
  /** Called after every login and refresh, so an app can persist the pair. Errors it throws are ignored. */
  onTokens?: (tokens: TokenPair) => void | Promise<void>;
}

/** A JWT's `exp` and `iat` claims (epoch seconds), when it is a JWT that has them. */
export function jwtClaims(token: string): { exp?: number; iat?: number } {
  const payload = token.split('.')[1];
  if (payload === undefined) return {};
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown; iat?: unknown };
    const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    const exp = num(claims.exp);
    const iat = num(claims.iat);
    return { ...(exp === undefined ? {} : { exp }), ...(iat === undefined ? {} : { iat }) };
  } catch {
    return {};
  }
}

/**
 * When a token just received expires, on this machine's clock (epoch ms), or undefined (renew
 * on 401 only). With `iat` the lifetime `exp - iat` is used, so a server clock minutes ahead or
 * behind ours does not matter. Without it, an `exp` already past on our clock cannot be trusted
 * (renewing would loop), so it is ignored.
 */
export function jwtExpiry(token: string, now = Date.now()): number | undefined {
  const { exp, iat } = jwtClaims(token);
  if (exp === undefined) return undefined;
  if (iat !== undefined && exp > iat) return now + (exp - iat) * 1000;
  return exp * 1000 > now ? exp * 1000 : undefined;
}

class JwtCredentials extends RenewingCredentials {
  readonly #username: string | undefined;
  readonly #password: string | undefined;
  readonly #loginPath: string;
  readonly #refreshPath: string;
  readonly #onTokens: JwtOptions['onTokens'];

  constructor(options: JwtOptions) {
    super(options.refreshSkew ?? 60_000, jwtSharing(options));
    this.#username = options.username;
    this.#password = options.password;
    this.#loginPath = options.loginPath ?? '/api/auth/login';
    this.#refreshPath = options.refreshPath ?? '/api/token/refresh';
    this.#onTokens = options.onTokens;
    if (options.tokens) {
      // A saved token of unknown age: its `exp` on our clock, and the whole skew applies.
      const exp = jwtClaims(options.tokens.access).exp;
      this.keep(options.tokens.access, exp === undefined ? undefined : exp * 1000, options.tokens.refresh, this.refreshSkew, false);
    } else if (this.#username === undefined || this.#password === undefined) {
      throw new ConfigurationError('jwt() needs `username` and `password`, or saved `tokens`.');
    }
  }

  protected async obtain(auth: AuthTransport): Promise<string> {
    const refresh = this.state.refresh;
    if (refresh !== undefined) {
      try {
        const body = readTokenResponse(await auth.post(this.#refreshPath, { refresh }), this.#refreshPath, 'access', {
          name: 'refresh',
          required: false,
        });
        return this.#keep(body.access, body.refresh ?? refresh);
      } catch (error) {
        // A refresh token the server no longer takes: log in again, when we can.
        if (!(error instanceof AuthenticationError) || this.#password === undefined) throw error;
        this.state.refresh = undefined;
      }
    }
    if (this.#username === undefined || this.#password === undefined) {
      throw new ConfigurationError('jwt(): no refresh token left and no `username`/`password` to log in with.');
    }
    const body = readTokenResponse(
      await auth.post(this.#loginPath, { username: this.#username, password: this.#password }),
      this.#loginPath,
      'access',
      { name: 'refresh', required: true },
    );
    return this.#keep(body.access, body.refresh as string);
  }

  #keep(access: string, refresh: string): string {
    this.keep(access, jwtExpiry(access), refresh);
    const onTokens = this.#onTokens;
    if (onTokens) {
      void Promise.resolve()
        .then(() => onTokens({ access, refresh }))
        .catch(() => undefined);
    }
    return access;
  }
}

function jwtSharing(options: JwtOptions): Sharing | undefined {
  if (options.store === undefined) return undefined;
  if (options.key === undefined && options.username === undefined) {
    throw new ConfigurationError('jwt() with a `store` and no `username` needs a `key` to share the credential under.');
  }
  // The login path tells apart two logins of one username under one baseURL; the password is never part of it.
  const identity = options.username === undefined ? undefined : `${options.loginPath ?? '/api/auth/login'}\n${options.username}`;
  return new Sharing(options.store, 'jwt', options.key, identity);
}

/**
 * Login + refresh JWT (SphereScout's scheme): logs in lazily with `POST loginPath
 * {username, password}`, refreshes with `POST refreshPath {refresh}` (keeping a rotated refresh
 * token), logs in again when the refresh itself answers 401, and renews ahead of time when the
 * access token's `exp` is within `refreshSkew`.
 */
export function jwt(options: JwtOptions): Credentials {
  return new JwtCredentials(options);
}
