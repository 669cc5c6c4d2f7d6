/**
 * bearerkit/browser: `browserStore()`, a `CredentialStore` shared by the tabs (and workers) of one
 * origin: one login, one refresh and one rate limit for all of them.
 *
 * - the renewal lease is a Web Lock (`navigator.locks`): the browser itself releases the lock of a
 *   tab that closes or crashes, so a lock is never orphaned by a dead tab;
 * - the credential is kept in IndexedDB (transactional, so a tab that takes the lease after
 *   another released it reads what that one wrote);
 * - a BroadcastChannel tells the other tabs at once: new tokens (waiters adopt them), a released
 *   lease, a 429's "not before" time (kept in each tab's memory: no read per request).
 *
 * Where any of the three is missing (an old browser, an insecure context, a sandboxed frame), or
 * IndexedDB cannot be opened, it falls back to in-tab behaviour: each tab on its own, as without a store.
 *
 * The tokens persist in IndexedDB for the origin (like localStorage would keep them): a tab opened
 * later starts from them instead of logging in. Anything that runs script on the origin can read them.
 */
import { memoryStore } from './memory.js';
import { CredentialStoreError, type CredentialStore, type StoredCredential } from './types.js';
import { Wakers, waitForLease } from './wait.js';

export { CredentialStoreError } from './types.js';
export type { CredentialStore, StoredCredential } from './types.js';

export interface BrowserStoreOptions {
  /** IndexedDB database, Web Lock and BroadcastChannel name prefix. @default 'bearerkit' */
  name?: string;
  /** The longest a renewal waits for another tab's lease; then `CredentialStoreError`. @default 30_000 */
  waitMs?: number;
}

export interface BrowserStore extends CredentialStore {
  /** True when tabs really share (Web Locks, IndexedDB and BroadcastChannel are all there). */
  readonly shared: boolean;
  /** Closes the channel and the database. */
  close(): void;
}

interface Message {
  t: 'tokens' | 'free' | 'nb';
  k: string;
  until?: number;
}

const OBJECT_STORE = 'credentials';

interface Locks {
  request<T>(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

/** A store shared by the tabs of this origin; in-tab behaviour where the browser lacks what it needs. */
export function browserStore(options: BrowserStoreOptions = {}): BrowserStore {
  const name = options.name ?? 'bearerkit';
  const waitMs = options.waitMs ?? 30_000;
  const g = globalThis as {
    navigator?: { locks?: Locks };
    indexedDB?: IDBFactory;
    BroadcastChannel?: typeof BroadcastChannel;
  };
  const locks = g.navigator?.locks;
  const idb = g.indexedDB;
  const Channel = g.BroadcastChannel;
  if (locks === undefined || typeof locks.request !== 'function' || idb === undefined || Channel === undefined) {
    return inTab(waitMs);
  }

  const local = memoryStore({ waitMs });
  let broken = false; // IndexedDB failed to open: in-tab from then on
  const notBefore = new Map<string, number>();
  const wakers = new Wakers();
  const channel = new Channel(`${name}:events`);
  channel.onmessage = (event: MessageEvent) => {
    const message = event.data as Message | undefined;
    if (message === undefined || typeof message.k !== 'string') return;
    if (message.t === 'nb' && typeof message.until === 'number') raise(message.k, message.until);
    else wakers.notify(message.k);
  };
  const post = (message: Message): void => {
    try {
      channel.postMessage(message);
    } catch {
      // closed
    }
  };

  function raise(key: string, until: number): void {
    if (until > (notBefore.get(key) ?? 0)) notBefore.set(key, until);
  }

  let opening: Promise<IDBDatabase> | undefined;
  function database(): Promise<IDBDatabase> {
    opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = idb!.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(OBJECT_STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
      request.onblocked = () => reject(new Error('IndexedDB open blocked'));
    }).catch((error: unknown) => {
      broken = true;
      throw error;
    });
    return opening;
  }

  /** Run `work` in one transaction; resolve with its result once the transaction has committed. */
  async function transaction<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest | undefined): Promise<T> {
    const db = await database();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(OBJECT_STORE, mode);
      let result: T;
      const request = work(tx.objectStore(OBJECT_STORE));
      if (request !== undefined) request.onsuccess = () => (result = request.result as T);
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(new CredentialStoreError(`IndexedDB ${mode} failed (${tx.error?.name ?? 'unknown'}).`));
      tx.onabort = () => reject(new CredentialStoreError(`IndexedDB ${mode} aborted (${tx.error?.name ?? 'unknown'}).`));
    });
  }

  const askedNotBefore = new Set<string>();
  function askNotBefore(key: string): void {
    if (askedNotBefore.has(key) || broken) return;
    askedNotBefore.add(key);
    void transaction<number | undefined>('readonly', (s) => s.get(`${key}:notbefore`)).then(
      (until) => {
        if (typeof until === 'number') raise(key, until);
      },
      () => undefined,
    );
  }

  return {
    shared: true,
    async get(key) {
      if (broken) return local.get(key);
      askNotBefore(key);
      try {
        const value = await transaction<StoredCredential | undefined>('readonly', (s) => s.get(key));
        return value === undefined ? undefined : { ...value };
      } catch {
        if (broken) return local.get(key);
        throw new CredentialStoreError('Browser credential store: IndexedDB read failed.');
      }
    },
    async set(key, value) {
      if (broken) return local.set(key, value);
      await transaction<undefined>('readwrite', (s) => {
        // Never replace a newer credential: read and write in the same transaction.
        const current = s.get(key);
        current.onsuccess = () => {
          const stored = current.result as StoredCredential | undefined;
          if (stored === undefined || stored.version < value.version) s.put({ ...value }, key);
        };
        return undefined;
      });
      post({ t: 'tokens', k: key });
    },
    exclusive(key, renew, adopt) {
      if (broken) return local.exclusive(key, renew, adopt);
      return waitForLease({
        tryLease: async () => {
          let started = false;
          try {
            return await locks.request(`${name}:lease:${key}`, { ifAvailable: true }, async (lock) => {
              started = true;
              if (lock === null) return undefined;
              try {
                return { value: await renew() };
              } finally {
                post({ t: 'free', k: key });
              }
            });
          } catch (error) {
            // Web Locks refused the request itself (a sandboxed frame, say): renew in this tab alone.
            if (started) throw error;
            return { value: await renew() };
          }
        },
        adopt,
        changed: (ms) => wakers.changed(key, ms),
        waitMs,
        pollMs: 100,
        what: 'browser store',
      });
    },
    notBefore(key) {
      const until = notBefore.get(key);
      if (until === undefined) askNotBefore(key);
      return until ?? 0;
    },
    rateLimited(key, until) {
      raise(key, until);
      post({ t: 'nb', k: key, until });
      if (!broken) {
        void transaction<undefined>('readwrite', (s) => s.put(until, `${key}:notbefore`)).catch(() => undefined);
      }
    },
    close() {
      channel.close();
      void opening?.then((db) => db.close()).catch(() => undefined);
    },
  };
}

function inTab(waitMs: number): BrowserStore {
  return { ...memoryStore({ waitMs }), shared: false, close: () => undefined };
}
