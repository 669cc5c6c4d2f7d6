/**
 * The page each tab of the two-tab test loads (bundled by tabs.fleet.ts with esbuild). It builds
 * one jwt() client with browserStore() and runs batches of calls when the test asks it to.
 */
import { BearerkitError, Client, jwt } from '../../../src/index.js';
import { browserStore } from '../../../src/stores/browser.js';

interface Setup {
  baseURL: string;
  username: string;
  password: string;
  /** Hide navigator.locks first: the store must fall back to in-tab behaviour. */
  withoutLocks?: boolean;
}

let client: Client | undefined;
let shared = false;

(window as unknown as { fleetTab: unknown }).fleetTab = {
  setup(options: Setup): boolean {
    if (options.withoutLocks) Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
    const store = browserStore();
    shared = store.shared;
    client = new Client({
      baseURL: options.baseURL,
      auth: jwt({ username: options.username, password: options.password, store }),
    });
    return shared;
  },
  /** One call; resolves to how long it took (ms). */
  async timed(path: string): Promise<number> {
    const started = performance.now();
    await client!.get(path);
    return performance.now() - started;
  },
  async run(calls: number): Promise<{ ok: number; failures: string[] }> {
    const failures: string[] = [];
    let ok = 0;
    await Promise.all(
      Array.from({ length: calls }, async () => {
        try {
          await client!.get('/api/user/profile');
          ok += 1;
        } catch (error) {
          failures.push(error instanceof BearerkitError ? `${error.name}: ${error.message}` : String(error));
        }
      }),
    );
    return { ok, failures };
  },
};
