/**
 * Everything a renewing strategy knows about its credential, in one small object: the tokens,
 * when the access token expires, and the renewal in flight. Kept apart from the strategy so a
 * shared store (another process, another tab) can hold it later.
 */
export class TokenState {
  access: string | undefined;
  refresh: string | undefined;
  /** Epoch ms at which `access` expires, when known. */
  expiresAt: number | undefined;
  /** Epoch ms at which `access` was obtained, to keep the renewal skew under half its lifetime. */
  obtainedAt = 0;
  #renewal: Promise<string> | undefined;

  /** Run `renew` unless a renewal is already running; every caller shares its one outcome. */
  singleFlight(renew: () => Promise<string>): Promise<string> {
    this.#renewal ??= renew().finally(() => {
      this.#renewal = undefined;
    });
    return this.#renewal;
  }

  /** True when `access` expires within `skew` ms (never more than half its lifetime, so a short-lived token is not renewed on every call). */
  expiresWithin(skew: number, now = Date.now()): boolean {
    if (this.expiresAt === undefined) return false;
    const lifetime = this.expiresAt - this.obtainedAt;
    return now >= this.expiresAt - Math.min(skew, lifetime / 2);
  }

  /** Keep a new token. `obtainedAt` 0 means: issued at an unknown time (a saved token), so the full skew applies. */
  set(access: string, expiresAt: number | undefined, refresh = this.refresh, obtainedAt = Date.now()): void {
    this.access = access;
    this.refresh = refresh;
    this.expiresAt = expiresAt;
    this.obtainedAt = obtainedAt;
  }
}
