/**
 * An API key as the Bearer token: a plain string, or a function that is read again after a 401.
 * Run: npx tsx examples/api-key.ts
 */
import { apiKey, AuthenticationError, Client } from '../src/index.js';
import { CompanyList, UserProfile } from '../src/services/spherescout/index.js';
import { MOCK_CREDENTIALS, startMockServer } from '../src/testing/index.js';

const mock = await startMockServer();
try {
  const { apiKey: key } = MOCK_CREDENTIALS.spherescout; // in an app: process.env.SPHERESCOUT_API_KEY

  // 1. A string is a static key.
  const client = new Client(key, { baseURL: mock.urls.spherescout });
  const profile = await client.get('/api/user/profile', { schema: UserProfile }); // typed by the schema
  console.log(`static key: profile of ${profile.email} (user ${profile.id})`);

  // 2. A function (e.g. reading a secret store) is read lazily, and read again after a 401.
  const store = { key: 'ss_stale_key_rotated_away_0000' };
  const rotating = new Client({ baseURL: mock.urls.spherescout, auth: apiKey(() => store.key) });
  try {
    await rotating.get('/api/user/profile');
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    console.log(`stale key: ${error.status} ${error.code} (the store gave the same key again, so the 401 stands)`);
  }

  store.key = key; // the key is rotated in the store
  const before = mock.apis.spherescout.stats.requests;
  const companies = await rotating.get('/api/companies', { query: { countries: 'DE' }, schema: CompanyList });
  const attempts = mock.apis.spherescout.stats.requests - before;
  console.log(`rotated key: ${companies.totalCount} companies in DE, ${attempts} HTTP attempts (401, then replayed with the new key)`);
} finally {
  await mock.close();
}
