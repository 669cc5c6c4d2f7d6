import { AuthenticationError, ConfigurationError } from '../errors.js';
import type { AuthTransport, Credentials } from './credentials.js';
import { readTokenResponse } from './token-response.js';
import { RenewingCredentials } from './renewing.js';

export interface TokenPair {
  access: string;
  refresh: string;
}

export interface JwtOptions {
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

/** Epoch ms of a JWT's `exp` claim, or undefined when the token is not a JWT with one. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/')) as string;
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

class JwtCredentials extends RenewingCredentials {
  readonly #username: string | undefined;
  readonly #password: string | undefined;
  readonly #loginPath: string;
  readonly #refreshPath: string;
  readonly #onTokens: JwtOptions['onTokens'];

  constructor(options: JwtOptions) {
    super(options.refreshSkew ?? 60_000);
    this.#username = options.username;
    this.#password = options.password;
    this.#loginPath = options.loginPath ?? '/api/auth/login';
    this.#refreshPath = options.refreshPath ?? '/api/token/refresh';
    this.#onTokens = options.onTokens;
    if (options.tokens) {
      // A saved token of unknown age: the whole skew applies.
      this.keep(options.tokens.access, jwtExpiry(options.tokens.access), options.tokens.refresh, this.refreshSkew, false);
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

/**
 * Login + refresh JWT (SphereScout's scheme): logs in lazily with `POST loginPath
 * {username, password}`, refreshes with `POST refreshPath {refresh}` (keeping a rotated refresh
 * token), logs in again when the refresh itself answers 401, and renews ahead of time when the
 * access token's `exp` is within `refreshSkew`.
 */
export function jwt(options: JwtOptions): Credentials {
  return new JwtCredentials(options);
}
