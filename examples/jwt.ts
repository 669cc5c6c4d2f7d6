/**
 * Username + password login with JWT refresh (SphereScout's scheme).
 * Run: npx tsx examples/jwt.ts
 */
import { Client, jwt, type TokenPair } from '../src/index.js';
import { UserProfile } from '../src/services/spherescout/index.js';
import { MOCK_CREDENTIALS, startMockServer } from '../src/testing/index.js';

const mock = await startMockServer();
try {
  const { username, password } = MOCK_CREDENTIALS.spherescout;
  let saved: TokenPair | undefined; // an app would persist this (keychain, database…)

  const client = new Client({
    baseURL: mock.urls.spherescout,
    auth: jwt({ username, password, onTokens: (tokens) => void (saved = tokens) }),
  });

  // The first call logs in (POST /api/auth/login), then sends the access token.
  const me = await client.get('/api/user/profile', { schema: UserProfile });
  console.log(`logged in as ${me.username}`);

  // The server expires every access token: the next call gets a 401, refreshes, and is replayed.
  mock.apis.spherescout.expireAccessTokens();
  await client.get('/api/user/profile', { schema: UserProfile });
  const { logins, refreshes } = mock.apis.spherescout.stats;
  console.log(`after expiry: logins=${logins} refreshes=${refreshes} (renewed silently)`);

  // A later process can start from the saved pair: no login until it stops working.
  if (saved === undefined) throw new Error('onTokens was not called');
  const resumed = new Client({ baseURL: mock.urls.spherescout, auth: jwt({ username, password, tokens: saved }) });
  await resumed.get('/api/user/profile', { schema: UserProfile });
  console.log(`resumed from saved tokens: logins=${mock.apis.spherescout.stats.logins} (no new login)`);
} finally {
  await mock.close();
}
