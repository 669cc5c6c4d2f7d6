/**
 * The OpenProspect client: orders, and the `ScopeError` a key without the needed scope gets.
 * Run: npx tsx examples/openprospect.ts
 */
import { ScopeError } from '../src/index.js';
import { OpenProspect } from '../src/services/openprospect/index.js';
import { MOCK_CREDENTIALS, startMockServer } from '../src/testing/index.js';

const mock = await startMockServer();
try {
  const { apiKey, readOnlyKey } = MOCK_CREDENTIALS.openprospect;
  // An lnc_test_ key needs a test environment's baseURL; lnc_live_ keys default to production.
  const op = new OpenProspect(apiKey, { baseURL: mock.urls.openprospect });

  const order = await op.orders.create({
    title: 'Example enrichment',
    features: ['CONTACTS'],
    companies: [{ company_name: 'Example Corp' }],
  });
  console.log(`created order ${order.id}: ${order.status}`);

  const { orders, total } = await op.orders.list({ limit: 2 });
  console.log(`${total} orders; first ${orders.length}: ${orders.map((o) => o.title).join(', ')}`);

  const readOnly = new OpenProspect(readOnlyKey, { baseURL: mock.urls.openprospect });
  try {
    await readOnly.orders.create({ title: 'Not allowed', features: [], companies: [] });
  } catch (error) {
    if (!(error instanceof ScopeError)) throw error;
    console.log(`read-only key: ${error.status} ${error.code}`);
    console.log(`  required=${error.requiredScopes.join(' ')} granted=${error.grantedScopes.join(' ')} missing=${error.missingScopes.join(' ')}`);
  }
} finally {
  await mock.close();
}
