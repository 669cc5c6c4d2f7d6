import type { AuthTransport, Credentials } from './credentials.js';
import { TokenState } from './token-state.js';

/**
 * The renewal rules every renewing strategy shares: a valid token is returned at once; one
 * that is missing or due for renewal, or that the server rejected, is renewed single-flight;
 * a 401 for a token that was already replaced replays with the new one without renewing.
 * A strategy supplies only `obtain()`: how to get a fresh token (and `keep` it).
 */
export abstract class RenewingCredentials implements Credentials {
  protected readonly state = new TokenState();

  constructor(protected readonly refreshSkew: number) {}

  /** Get a fresh token and `keep` it; resolves to the new access token. */
  protected abstract obtain(auth: AuthTransport): Promise<string>;

  /**
   * Store a token that expires at `expiresAt` (epoch ms; undefined: renewed only after a 401).
   * It is renewed `skew` ms early, but never earlier than half of the lifetime it had left when
   * it arrived, so a token that lives shorter than the skew is not renewed on every call.
   * `halfLifeCap: false` (a saved token of unknown age) applies the whole skew.
   */
  protected keep(access: string, expiresAt: number | undefined, refresh?: string, skew = this.refreshSkew, halfLifeCap = true): void {
    let renewAt: number | undefined;
    if (expiresAt !== undefined) {
      const left = Math.max(0, expiresAt - Date.now());
      renewAt = expiresAt - (halfLifeCap ? Math.min(skew, left / 2) : skew);
    }
    this.state.set(access, renewAt, refresh);
  }

  token(auth: AuthTransport): string | Promise<string> {
    const { access } = this.state;
    if (access !== undefined && !this.state.stale()) return access;
    return this.state.singleFlight(() => this.obtain(auth));
  }

  async renew(rejected: string, auth: AuthTransport): Promise<string | undefined> {
    const { access } = this.state;
    if (access !== undefined && access !== rejected) return access;
    return this.state.singleFlight(() => this.obtain(auth));
  }
}
