/**
 * The ScamVerify client: phone lookups, and the typed 403 for an account without a subscription.
 * Run: npx tsx examples/scamverify.ts
 */
import { SubscriptionRequiredError } from '../src/index.js';
import { ScamVerify } from '../src/services/scamverify/index.js';
import { MOCK_CREDENTIALS, startMockServer } from '../src/testing/index.js';

const mock = await startMockServer();
try {
  const { testKey, noSubscriptionKey } = MOCK_CREDENTIALS.scamverify;
  // In an app: new ScamVerify(process.env.SCAMVERIFY_API_KEY), against https://scamverify.ai.
  const sv = new ScamVerify(testKey, { baseURL: mock.urls.scamverify });

  for (const phone_number of ['+12025551234', '+442079460000']) {
    const result = await sv.phone.lookup({ phone_number });
    console.log(`${phone_number}: verdict=${result.verdict} risk_score=${result.risk_score} test_mode=${String(result.test_mode)}`);
  }

  const unsubscribed = new ScamVerify(noSubscriptionKey, { baseURL: mock.urls.scamverify });
  try {
    await unsubscribed.phone.lookup({ phone_number: '+12025551234' });
  } catch (error) {
    if (!(error instanceof SubscriptionRequiredError)) throw error;
    console.log(`no subscription: ${error.name} (${error.status} ${error.code})`);
  }
} finally {
  await mock.close();
}
