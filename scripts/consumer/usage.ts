// Type-checked by scripts/consumer-test.mjs in a project that installed the packed tarball:
// as usage.ts (moduleResolution bundler), usage.mts and usage.cts (moduleResolution node16, the
// `import` and the `require` declarations). Only the documented API; no schema library needed.
import {
  APIError,
  AuthenticationError,
  BearerkitError,
  Client,
  RateLimitError,
  ScopeError,
  VERSION,
  apiKey,
  jwt,
  session,
  type ClientOptions,
  type Credentials,
  type StandardSchemaV1,
} from 'bearerkit';
import { SphereScout } from 'bearerkit/spherescout';
import { ScamVerify } from 'bearerkit/scamverify';
import { OpenProspect, type OrderList } from 'bearerkit/openprospect';
import { MOCK_CREDENTIALS, createMockApis, startMockServer, type MockServer } from 'bearerkit/testing';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

/** A hand-written Standard Schema: `schema` types the result. */
const Profile: StandardSchemaV1<unknown, { email: string }> = {
  '~standard': { version: 1, vendor: 'consumer-test', validate: (value) => ({ value: value as { email: string } }) },
};

export async function usage(): Promise<string> {
  const mock: MockServer = await startMockServer();
  try {
    const options: ClientOptions = { baseURL: mock.urls.spherescout, maxRetries: 1, timeout: 5_000 };
    const client = new Client(MOCK_CREDENTIALS.spherescout.apiKey, options);
    const profile = await client.get('/api/user/profile', { schema: Profile });
    expectType<Equal<typeof profile, { email: string }>>();
    const raw = await client.get('/api/companies', { query: { countries: 'DE', email: true } });
    expectType<Equal<typeof raw, unknown>>();

    const custom: Credentials = { token: () => 'key', renew: async () => undefined };
    void new Client({ baseURL: mock.url, auth: custom });
    void new Client({ baseURL: mock.url, auth: apiKey(async () => 'key') });
    void new Client({
      baseURL: mock.urls.spherescout,
      auth: jwt({ username: 'u', password: 'p', onTokens: ({ access, refresh }) => void [access, refresh] }),
    });
    void new Client({ baseURL: mock.urls.session, auth: session({ apiKey: 'key', sessionId: 'worker-1' }) });

    const { username, password } = MOCK_CREDENTIALS.spherescout;
    const ss = new SphereScout({ username, password, baseURL: mock.urls.spherescout });
    const email: string | undefined = (await ss.user.profile()).email;

    const sv = new ScamVerify(MOCK_CREDENTIALS.scamverify.testKey, { baseURL: mock.urls.scamverify });
    await sv.phone.lookup({ phone_number: '+12025551234' });

    const op = new OpenProspect(MOCK_CREDENTIALS.openprospect.readOnlyKey, { baseURL: mock.urls.openprospect });
    const list: OrderList = await op.orders.list({ limit: 10 });
    const total: number = list.total;
    const title: string | undefined = list.orders[0]?.title;
    try {
      await op.orders.create({ title: 'Q1', features: ['CONTACTS'], companies: [{ company_name: 'Example Corp' }] });
    } catch (error) {
      if (error instanceof ScopeError) {
        const missing: string[] = error.missingScopes;
        void missing;
      } else if (error instanceof RateLimitError) {
        const wait: number | undefined = error.retryAfter;
        void wait;
      } else if (error instanceof AuthenticationError || error instanceof APIError) {
        const details: [number, string | undefined, string | undefined] = [error.status, error.code, error.requestID];
        void details;
      } else if (error instanceof BearerkitError) {
        const name: string = error.name;
        void name;
      } else throw error;
    }

    // @ts-expect-error a path is required
    void client.get();
    // @ts-expect-error ScamVerify takes the key first, options second
    void (() => new ScamVerify({ apiKey: 'sv_test_x' }));

    const apis = createMockApis();
    apis.spherescout.expireAccessTokens();
    const stats: number = apis.spherescout.stats.refreshes;
    return [VERSION, email, total, title, stats, apis.handlers.length].join(' ');
  } finally {
    await mock.close();
  }
}
