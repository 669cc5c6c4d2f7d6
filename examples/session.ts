/**
 * Session login (the session-login API): an API key is exchanged for a short-lived bearer token,
 * renewed before it runs out, and once on a 401.
 * Run: npx tsx examples/session.ts
 */
import { Client, session } from '../src/index.js';
import { MOCK_CREDENTIALS, startMockServer } from '../src/testing/index.js';

const mock = await startMockServer();
try {
  const client = new Client({
    baseURL: mock.urls.session,
    auth: session({
      apiKey: MOCK_CREDENTIALS.session.apiKey, // in an app: process.env.SESSION_API_KEY
      sessionId: 'worker-1', // optional: a distinct id gets a token of its own
      refreshSkew: 60_000, // renew a minute before `expires_in` runs out (the default)
    }),
  });

  // The first call logs in (POST /auth/login), then sends the token.
  const me = (await client.get('/v1/me')) as { session_id: string; expires_in: number };
  console.log(`session ${me.session_id}: token valid for ${me.expires_in} s`);

  // The server drops the token early: the call gets a 401, logs in again once, and is replayed.
  mock.apis.session.expireTokens();
  await client.get('/v1/me');
  const { logins, byRoute } = mock.apis.session.stats;
  console.log(`after the server expired the token: logins=${logins}, GET /v1/me attempts=${byRoute['GET /v1/me']}`);
} finally {
  await mock.close();
}
