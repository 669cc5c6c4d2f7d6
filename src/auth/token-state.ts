/**
 * Everything a renewing strategy knows about its credential, in one small object: the tokens,
 * when the access token should be renewed, the version of the stored credential they came from
 * (0: never stored), and the renewal in flight. A shared store holds a copy of the first three
 * (see `StoredCredential`); this object is the local cache the hot path reads without a hop.
 *
 * The tokens live in private fields behind accessors, so `util.inspect`, `console.log` and
 * `JSON.stringify` of a strategy (which holds one of these) never show them.
 */
export class TokenState {
  #access: string | undefined;
  #refresh: string | undefined;

  get access(): string | undefined {
    return this.#access;
  }
  set access(value: string | undefined) {
    this.#access = value;
  }
  get refresh(): string | undefined {
    return this.#refresh;
  }
  set refresh(value: string | undefined) {
    this.#refresh = value;
  }
  /** Epoch ms from which `access` is renewed before use; undefined: only after a 401. */
  renewAt: number | undefined;
  /** The store's version of these tokens; 0 when they never came from or went to a store. */
  version = 0;
  #renewal: Promise<string> | undefined;

  /** Run `renew` unless a renewal is already running; every caller shares its one outcome. */
  singleFlight(renew: () => Promise<string>): Promise<string> {
    this.#renewal ??= renew().finally(() => {
      this.#renewal = undefined;
    });
    return this.#renewal;
  }

  /** True when `access` is missing or due for renewal. */
  stale(now = Date.now()): boolean {
    return this.access === undefined || (this.renewAt !== undefined && now >= this.renewAt);
  }

  set(access: string, renewAt: number | undefined, refresh = this.refresh): void {
    this.#access = access;
    this.renewAt = renewAt;
    this.#refresh = refresh;
  }
}
