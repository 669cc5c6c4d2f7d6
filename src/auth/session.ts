import type { AuthTransport, Credentials } from './credentials.js';
import { RenewingCredentials } from './renewing.js';
import { type ShareOptions, Sharing } from './sharing.js';
import { readTokenResponse } from './token-response.js';

export interface SessionOptions extends ShareOptions {
  apiKey: string;
  /** Sent as `session_id`: a distinct id gets a token of its own. */
  sessionId?: string;
  /** @default '/auth/login' */
  loginPath?: string;
  /** Renew this many ms before `expires_in` runs out. @default 60_000 */
  refreshSkew?: number;
}

class SessionCredentials extends RenewingCredentials {
  readonly #apiKey: string;
  readonly #sessionId: string | undefined;
  readonly #loginPath: string;

  constructor(options: SessionOptions) {
    super(
      options.refreshSkew ?? 60_000,
      options.store === undefined
        ? undefined
        : new Sharing(options.store, 'session', options.key, `${options.loginPath ?? '/auth/login'}\n${options.apiKey}\n${options.sessionId ?? ''}`),
    );
    this.#apiKey = options.apiKey;
    this.#sessionId = options.sessionId;
    this.#loginPath = options.loginPath ?? '/auth/login';
  }

  protected async obtain(auth: AuthTransport): Promise<string> {
    const payload = this.#sessionId === undefined ? { api_key: this.#apiKey } : { api_key: this.#apiKey, session_id: this.#sessionId };
    const body = readTokenResponse(await auth.post(this.#loginPath, payload), this.#loginPath, 'access_token');
    const expiresIn = Number(body.raw.expires_in);
    // A missing, negative or unreadable `expires_in` means: no known expiry, renew on 401 only.
    const expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined;
    // The API answers with the same token while it is still valid: renewing that one early
    // cannot succeed, so keep it until it expires (or a 401) instead of asking again and again.
    const same = body.access === this.state.access;
    this.keep(body.access, expiresAt, undefined, same ? 0 : this.refreshSkew);
    return body.access;
  }
}

/**
 * Session-id login (the session-login API): `POST loginPath {api_key, session_id?}` →
 * `{access_token, expires_in, token_type}`; renews `refreshSkew` ms before `expires_in` runs
 * out, and once on 401.
 */
export function session(options: SessionOptions): Credentials {
  return new SessionCredentials(options);
}
