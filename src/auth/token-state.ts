/**
 * Everything a renewing strategy knows about its credential, in one small object: the tokens,
 * when the access token should be renewed, and the renewal in flight. Kept apart from the
 * strategy so a shared store (another process, another tab) can hold it later.
 */
export class TokenState {
  access: string | undefined;
  refresh: string | undefined;
  /** Epoch ms from which `access` is renewed before use; undefined: only after a 401. */
  renewAt: number | undefined;
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
    this.access = access;
    this.renewAt = renewAt;
    this.refresh = refresh;
  }
}
