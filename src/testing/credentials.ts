/**
 * The fake credentials every mock is seeded with. They only work against
 * `bearerkit/testing`; they are not secrets and match no real account.
 */
export interface MockCredentials {
  readonly spherescout: {
    readonly username: string;
    readonly password: string;
    readonly apiKey: string;
    readonly apiKeyId: string;
  };
  readonly scamverify: { readonly testKey: string; readonly liveKey: string; readonly noSubscriptionKey: string };
  readonly openprospect: {
    readonly apiKey: string;
    readonly apiKeyId: string;
    readonly readOnlyKey: string;
    readonly readOnlyKeyId: string;
  };
  readonly session: { readonly apiKey: string };
}

export const MOCK_CREDENTIALS: MockCredentials = {
  spherescout: {
    username: 'demo@example.com',
    password: 'demo-password-123',
    apiKey: 'ss_demo_key_0123456789abcdef',
    /** The id of `apiKey` in `GET /api/user/api-keys`. */
    apiKeyId: '00000000-0000-4000-8000-000000000001',
  },
  scamverify: {
    /** `sv_test_` + 40 base64url characters; lookups answer `test_mode: true`. */
    testKey: 'sv_test_bKitMockTestKey0aBcDeFgHiJkLmNoPqRsTuV-_',
    /** `sv_live_` + 40 base64url characters, on an account with a subscription. */
    liveKey: 'sv_live_bKitMockLiveKey1aBcDeFgHiJkLmNoPqRsTuV_-',
    /** A live key whose account has no subscription: lookups answer 403 `subscription_required`. */
    noSubscriptionKey: 'sv_live_bKitMockNoSubKey2aBcDeFgHiJkLmNoPqRsTuVw',
  },
  openprospect: {
    /** `lnc_test_` + 32 base62 characters; scopes `orders:read`, `orders:write`, `admin:write`. */
    apiKey: 'lnc_test_bKitMockFullAccess0123456789AbCd',
    apiKeyId: 'key_0001',
    /** Scope `orders:read` only. */
    readOnlyKey: 'lnc_test_bKitMockReadOnly0123456789AbCdEf',
    readOnlyKeyId: 'key_0002',
  },
  session: {
    apiKey: 'sess_demo_key_0123456789',
  },
};

export const OPENPROSPECT_ORDER_SCOPES = ['orders:read', 'orders:write'] as const;
