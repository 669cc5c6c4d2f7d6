/**
 * The SphereScout client: profile, company search and API key management.
 * Run: npx tsx examples/spherescout.ts
 */
import { SphereScout } from '../src/services/spherescout/index.js';
import { MOCK_CREDENTIALS, startMockServer } from '../src/testing/index.js';

const mock = await startMockServer();
try {
  const { username, password } = MOCK_CREDENTIALS.spherescout;
  // `{ apiKey }` works too; `{ username, password }` logs in and refreshes JWTs for you.
  const ss = new SphereScout({ username, password, baseURL: mock.urls.spherescout });

  const me = await ss.user.profile();
  console.log(`profile: ${me.username}`);

  const companies = await ss.companies.list({ countries: ['DE', 'FR'], email: true });
  console.log(`companies in DE/FR with an email: ${companies.totalCount}`);
  for (const c of companies.results ?? []) console.log(`  - ${c.name} (${c.country})`);

  const created = await ss.apiKeys.create({ expiry: '2027-01-01T00:00:00Z' });
  // `created.token` is the full key, shown once: store it, never log it.
  console.log(`created key ${created.api_key.id} (${created.api_key.token_key.slice(0, 3)}…), expires ${created.api_key.expiry}`);

  console.log(`keys now: ${(await ss.apiKeys.list()).length}`);
  await ss.apiKeys.revoke(created.api_key.id);
  console.log(`revoked; keys now: ${(await ss.apiKeys.list()).length}`);
} finally {
  await mock.close();
}
