import type { AuthTransport, Credentials } from './credentials.js';
import { TokenState } from './token-state.js';

/**
 * The renewal rules every renewing strategy shares: a valid token is returned at once; one
 * that is missing or about to expire, or that the server rejected, is renewed single-flight;
 * a 401 for a token that was already replaced replays with the new one without renewing.
 * A strategy supplies only `obtain()`: how to get a fresh token.
 */
export abstract class RenewingCredentials implements Credentials {
  protected readonly state = new TokenState();

  constructor(protected readonly refreshSkew: number) {}

  /** Get a fresh token and store it in `this.state`; resolves to the new access token. */
  protected abstract obtain(auth: AuthTransport): Promise<string>;

  token(auth: AuthTransport): string | Promise<string> {
    const { access } = this.state;
    if (access !== undefined && !this.state.expiresWithin(this.refreshSkew)) return access;
    return this.state.singleFlight(() => this.obtain(auth));
  }

  async renew(rejected: string, auth: AuthTransport): Promise<string | undefined> {
    const { access } = this.state;
    if (access !== undefined && access !== rejected) return access;
    return this.state.singleFlight(() => this.obtain(auth));
  }
}
