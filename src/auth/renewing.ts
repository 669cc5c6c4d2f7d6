import type { StoredCredential } from '../stores/types.js';
import type { AuthTransport, Credentials } from './credentials.js';
import type { Sharing } from './sharing.js';
import { TokenState } from './token-state.js';

/**
 * The renewal rules every renewing strategy shares: a valid token is returned at once; one
 * that is missing or due for renewal, or that the server rejected, is renewed single-flight;
 * a 401 for a token that was already replaced replays with the new one without renewing.
 * A strategy supplies only `obtain()`: how to get a fresh token (and `keep` it).
 *
 * With a store (`sharing`), the local state stays the hot path's cache; the store is asked only
 * when that cache cannot answer: before renewing (another process or tab may already have a newer
 * credential: adopt it), then under the store's renewal lease (read again; still nothing newer:
 * renew, write the new tokens, rotated refresh token included, in one write, then release).
 * The refresh token sent is always the newest one known: the store's, unless this process holds
 * a newer one its store write failed to save.
 */
export abstract class RenewingCredentials implements Credentials {
  protected readonly state = new TokenState();

  constructor(
    protected readonly refreshSkew: number,
    protected readonly sharing?: Sharing,
  ) {
    if (sharing !== undefined) {
      this.notBefore = () => sharing.notBefore();
      this.rateLimited = (until) => sharing.rateLimited(until);
    }
  }

  // Only a shared strategy has these hooks: without a store the pipeline finds none and does nothing.
  declare notBefore?: () => number;
  declare rateLimited?: (until: number) => void;

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
    return this.state.singleFlight(() => this.#renewal(auth));
  }

  async renew(rejected: string, auth: AuthTransport): Promise<string | undefined> {
    const { access } = this.state;
    if (access !== undefined && access !== rejected) return access;
    return this.state.singleFlight(() => this.#renewal(auth));
  }

  #renewal(auth: AuthTransport): Promise<string> {
    return this.sharing === undefined ? this.obtain(auth) : this.#shared(this.sharing, auth);
  }

  async #shared(sharing: Sharing, auth: AuthTransport): Promise<string> {
    const { store } = sharing;
    const key = await sharing.key(auth);
    const adopt = async (): Promise<string | undefined> => this.#adopt(await store.get(key));
    const adopted = await adopt();
    if (adopted !== undefined) return adopted;
    return store.exclusive(
      key,
      async () => {
        const stored = await store.get(key);
        const again = this.#adopt(stored);
        if (again !== undefined) return again;
        if (stored !== undefined && stored.version >= this.state.version) {
          // The store's refresh token is the newest: the one this process holds may have been rotated away.
          this.state.refresh = stored.refresh;
          this.state.version = stored.version;
        }
        const access = await this.obtain(auth);
        this.state.version += 1;
        const { refresh, renewAt, version } = this.state;
        await store.set(key, { access, refresh, renewAt, version });
        return access;
      },
      adopt,
    );
  }

  /**
   * Take `stored` as the local state when it is a credential this process does not have yet:
   * another token than the local one (which is missing, due or rejected), no older, not due.
   */
  #adopt(stored: StoredCredential | undefined): string | undefined {
    if (
      stored === undefined ||
      stored.access === this.state.access ||
      stored.version < this.state.version ||
      (stored.renewAt !== undefined && Date.now() >= stored.renewAt)
    ) {
      return undefined;
    }
    this.state.set(stored.access, stored.renewAt, stored.refresh);
    this.state.version = stored.version;
    return stored.access;
  }
}
