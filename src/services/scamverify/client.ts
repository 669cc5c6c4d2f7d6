import { Client, type RequestOptions } from '../../client.js';
import { type ServiceOptions, checkKey, keyAuth } from '../keys.js';
import { PhoneLookup } from './schemas.js';

export const SCAMVERIFY_BASE_URL = 'https://scamverify.ai';
export const SCAMVERIFY_KEY_PREFIXES = ['sv_live_', 'sv_test_'] as const;

type Call = Pick<RequestOptions, 'signal' | 'timeout' | 'headers'>;

export type ScamVerifyOptions = ServiceOptions;

/**
 * ScamVerify: `sv_live_…` or `sv_test_…` keys. A test key against production is fine: the
 * documents say test keys get realistic mock data from production without using quota.
 */
export class ScamVerify extends Client {
  readonly phone = {
    lookup: (body: { phone_number: string }, options?: Call) =>
      this.post('/api/v1/phone/lookup', { ...options, json: body, schema: PhoneLookup }),
  };

  constructor(apiKey: string | undefined, options: ScamVerifyOptions = {}) {
    const { store, ...rest } = options ?? {};
    const auth = keyAuth(checkKey('ScamVerify', apiKey, SCAMVERIFY_KEY_PREFIXES), store);
    super({ ...rest, baseURL: rest.baseURL ?? SCAMVERIFY_BASE_URL, auth });
  }
}
