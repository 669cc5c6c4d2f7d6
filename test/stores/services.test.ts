/**
 * The service clients take `store` like the strategies do: SphereScout instances on one login
 * share it (one login, one refresh), and key clients share a 429's pause.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/index.js';
import { OpenProspect } from '../../src/services/openprospect/index.js';
import { ScamVerify } from '../../src/services/scamverify/index.js';
import { SphereScout } from '../../src/services/spherescout/index.js';
import { MOCK_CREDENTIALS } from '../../src/testing/index.js';
import { useMockApis } from '../helpers.js';

const { apis } = useMockApis();

const { username, password } = MOCK_CREDENTIALS.spherescout;
/** A live key (the mock's seeded one is a test key, refused against the production URL). */
const OP_LIVE_KEY = 'lnc_live_StoreTestFullAccess0123456789AbCd';
beforeAll(() => apis.openprospect.addKey(OP_LIVE_KEY, ['orders:read']));

describe('service clients with a store', () => {
  it('two SphereScout clients on one store: one login, then one refresh for both after expiry', async () => {
    const store = memoryStore();
    const a = new SphereScout({ username, password, store });
    const b = new SphereScout({ username, password, store });
    await Promise.all([a.user.profile(), b.user.profile(), a.user.profile()]);
    expect(apis.spherescout.stats.logins).toBe(1);
    apis.spherescout.expireAccessTokens();
    await Promise.all([a.user.profile(), b.user.profile()]);
    expect(apis.spherescout.stats.refreshes).toBe(1);
    expect(apis.spherescout.stats.logins).toBe(1);
  });

  it('without a store each SphereScout client logs in on its own', async () => {
    await Promise.all([new SphereScout({ username, password }).user.profile(), new SphereScout({ username, password }).user.profile()]);
    expect(apis.spherescout.stats.logins).toBe(2);
  });

  it.each([
    ['ScamVerify', () => apis.scamverify, (store: ReturnType<typeof memoryStore>) => {
      const client = new ScamVerify(MOCK_CREDENTIALS.scamverify.liveKey, { store, maxRetries: 0 });
      return () => client.phone.lookup({ phone_number: '+12025551234' });
    }],
    ['OpenProspect', () => apis.openprospect, (store: ReturnType<typeof memoryStore>) => {
      const client = new OpenProspect(OP_LIVE_KEY, { store, maxRetries: 0 });
      return () => client.orders.list();
    }],
  ])('%s: a 429 seen by one client holds back another on the same store and key', async (_name, api, make) => {
    const store = memoryStore();
    const [first, second] = [make(store), make(store)];
    await Promise.all([first(), second()]);
    await new Promise((resolve) => setTimeout(resolve, 20)); // both have derived their store key (a SHA-256, async)
    api().failNext(1, { status: 429, headers: { 'retry-after-ms': '300' } });
    await expect(first()).rejects.toMatchObject({ status: 429 });
    const before = api().stats.requests;
    const started = Date.now();
    await second();
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(api().stats.requests).toBe(before + 1);
  });
});
