/**
 * Stateful mock of the ScamVerify API: `POST /api/v1/phone/lookup` behind
 * `sv_live_` / `sv_test_` API keys, with the documented error bodies.
 */
import { MOCK_CREDENTIALS } from './credentials.js';
import { MockApi, isRecord, json, statusText, type RouteContext, type RouteDef } from './state.js';

export interface ScamVerifyMockOptions {
  /** Default `https://scamverify.ai`. */
  baseURL?: string;
}

export interface ScamVerifyLookup {
  phone_number: string;
  risk_score: number;
  verdict: 'safe' | 'suspicious' | 'scam';
  carrier: string;
  line_type: 'mobile' | 'landline' | 'voip';
  test_mode: boolean;
}

const ERRORS = {
  missing_api_key: {
    error: 'missing_api_key',
    message: 'The Authorization header is required. Include your API key as a Bearer token.',
    status: 401,
  },
  invalid_api_key: {
    error: 'invalid_api_key',
    message: 'The provided API key is invalid or has been revoked.',
    status: 401,
  },
  subscription_required: {
    error: 'subscription_required',
    message:
      'An active subscription is required to use this API. Visit https://scamverify.ai/settings/api to manage your plan.',
    status: 403,
  },
  phone_required: { error: 'invalid_request', message: 'phone_number is required', status: 400 },
} as const;

const CARRIERS = ['Example Wireless', 'Sample Telecom', 'Demo Mobile', 'Placeholder Networks'] as const;
const LINE_TYPES = ['mobile', 'landline', 'voip'] as const;

/** FNV-1a, 32 bit. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The deterministic lookup result for a number (same number, same answer; only digits count). */
export function scamVerifyLookup(phoneNumber: string, testMode: boolean): ScamVerifyLookup {
  const h = hash(phoneNumber.replace(/\D/g, '') || phoneNumber);
  const risk = h % 101;
  return {
    phone_number: phoneNumber,
    risk_score: risk,
    verdict: risk < 40 ? 'safe' : risk < 70 ? 'suspicious' : 'scam',
    carrier: CARRIERS[(h >>> 8) % CARRIERS.length]!,
    line_type: LINE_TYPES[(h >>> 16) % LINE_TYPES.length]!,
    test_mode: testMode,
  };
}

export class ScamVerifyMock extends MockApi {
  readonly #seedKeys = new Map<string, { subscription: boolean }>();
  readonly #revoked = new Set<string>();

  constructor(options: ScamVerifyMockOptions = {}) {
    super('scamverify', options.baseURL ?? 'https://scamverify.ai');
    const creds = MOCK_CREDENTIALS.scamverify;
    this.#seedKeys.set(creds.testKey, { subscription: true });
    this.#seedKeys.set(creds.liveKey, { subscription: true });
    this.#seedKeys.set(creds.noSubscriptionKey, { subscription: false });
  }

  /** Adds a key (kept across `reset()`); `subscription: false` makes its lookups answer 403. */
  addKey(key: string, options: { subscription?: boolean } = {}): void {
    this.#seedKeys.set(key, { subscription: options.subscription ?? true });
    this.#revoked.delete(key);
  }

  /** Revokes a key until the next `reset()`: it then answers 401 `invalid_api_key`. */
  revokeKey(key: string): void {
    this.#revoked.add(key);
  }

  protected override resetState(): void {
    this.#revoked.clear();
  }

  protected override errorBody(status: number): unknown {
    switch (status) {
      case 401:
        return ERRORS.invalid_api_key;
      case 429:
        return { error: 'rate_limited', message: 'Too many requests. Please retry later.', status };
      default: {
        const text = statusText(status);
        return { error: text.toLowerCase().replace(/[^a-z0-9]+/g, '_'), message: text, status };
      }
    }
  }

  protected override routes(): RouteDef[] {
    return [{ method: 'POST', path: '/api/v1/phone/lookup', handle: (ctx) => this.#lookup(ctx) }];
  }

  #lookup(ctx: RouteContext): Response {
    const key = ctx.bearer;
    if (key === undefined) return json(401, ERRORS.missing_api_key);
    const account = this.#seedKeys.get(key);
    if (!account || this.#revoked.has(key)) return json(401, ERRORS.invalid_api_key);
    if (!account.subscription) return json(403, ERRORS.subscription_required);
    const phone = isRecord(ctx.body) ? ctx.body.phone_number : undefined;
    if (typeof phone !== 'string' || phone.trim() === '') return json(400, ERRORS.phone_required);
    return json(200, scamVerifyLookup(phone, key.startsWith('sv_test_')));
  }
}
