import { CredentialStoreError } from './types.js';

/**
 * The one wait loop every store's `exclusive()` runs: try to take the lease; when another holder
 * has it, ask `adopt()` (maybe the holder already wrote a new credential), then sleep until `key`
 * changes or `pollMs` passes, ask `adopt()` again, and try the lease again; reject once `waitMs`
 * is over.
 */
export async function waitForLease<T>(options: {
  /** One attempt at the lease: runs `renew` under it and resolves `{ value }`, or resolves undefined at once when it is held. */
  tryLease: () => Promise<{ value: T } | undefined>;
  adopt: () => Promise<T | undefined>;
  /** Resolves when the credential may have changed, or after `ms`; `cancel()` ends the wait early. */
  changed: (ms: number) => { promise: Promise<void>; cancel(): void };
  waitMs: number;
  pollMs: number;
  what: string;
}): Promise<T> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const leased = await options.tryLease();
    if (leased !== undefined) return leased.value;
    const adopted = await options.adopt();
    if (adopted !== undefined) return adopted;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new CredentialStoreError(
        `Gave up after ${options.waitMs} ms waiting for another holder to finish renewing the credential (${options.what}).`,
      );
    }
    const wake = options.changed(Math.min(options.pollMs, left));
    await wake.promise;
    wake.cancel();
    // Woken (usually by the holder's write): adopt before trying the lease again.
    const written = await options.adopt();
    if (written !== undefined) return written;
  }
}

/** A wake-up source: `changed(key, ms)` resolves on `notify(key)` or after `ms`. */
export class Wakers {
  readonly #waiting = new Map<string, Set<() => void>>();

  changed(key: string, ms: number): { promise: Promise<void>; cancel(): void } {
    let done: () => void = () => undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const promise = new Promise<void>((resolve) => {
      done = () => {
        clearTimeout(timer);
        this.#waiting.get(key)?.delete(done);
        resolve();
      };
      timer = setTimeout(done, ms);
      let set = this.#waiting.get(key);
      if (set === undefined) this.#waiting.set(key, (set = new Set()));
      set.add(done);
    });
    return { promise, cancel: done };
  }

  notify(key: string): void {
    const set = this.#waiting.get(key);
    if (set === undefined) return;
    this.#waiting.delete(key);
    for (const wake of set) wake();
  }
}
