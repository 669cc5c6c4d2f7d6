/**
 * A credential strategy of your own, implementing the public `Credentials` interface: it reads
 * its token from a vault (any async function), and reads it again on a 401.
 * Run: npx tsx examples/custom-credentials.ts
 */
import { Client, type Credentials } from '../src/index.js';
import { SphereScout } from '../src/services/spherescout/index.js';
import { MOCK_CREDENTIALS, startMockServer } from '../src/testing/index.js';

class VaultToken implements Credentials {
  #current: string | undefined;
  #reading: Promise<string> | undefined;
  reads = 0; // for the demo output
  constructor(private readonly readVault: () => Promise<string>) {}

  token(): string | Promise<string> {
    return this.#current ?? this.#read(); // no async hop once a token is at hand
  }

  async renew(rejected: string): Promise<string | undefined> {
    if (this.#current !== undefined && this.#current !== rejected) return this.#current; // already replaced
    const next = await this.#read();
    return next === rejected ? undefined : next; // same token again: the 401 stands
  }

  #read(): Promise<string> {
    // Single-flight: concurrent callers share one vault read; a failed read is not cached.
    this.#reading ??= this.readVault()
      .then((token) => ((this.reads += 1), (this.#current = token)))
      .finally(() => (this.#reading = undefined));
    return this.#reading;
  }
}

const mock = await startMockServer();
try {
  const vault = new Map([['spherescout/api-key', MOCK_CREDENTIALS.spherescout.apiKey]]);
  const credentials = new VaultToken(async () => vault.get('spherescout/api-key') ?? '');
  const client = new Client({ baseURL: mock.urls.spherescout, auth: credentials });

  await Promise.all([client.get('/api/user/profile'), client.get('/api/user/profile')]);
  console.log(`2 concurrent calls, ${credentials.reads} vault read`);

  // Rotate: create a new key, store it in the vault, revoke the old one.
  const admin = new SphereScout({ apiKey: MOCK_CREDENTIALS.spherescout.apiKey, baseURL: mock.urls.spherescout });
  const created = await admin.apiKeys.create();
  vault.set('spherescout/api-key', created.token);
  await admin.apiKeys.revoke(MOCK_CREDENTIALS.spherescout.apiKeyId);
  console.log(`rotated the key (new key ${created.api_key.token_key.slice(0, 3)}…), old one revoked`);

  await client.get('/api/user/profile'); // 401 with the old key -> renew() reads the vault -> replayed
  console.log(`call after rotation succeeded; vault reads: ${credentials.reads}`);
} finally {
  await mock.close();
}
