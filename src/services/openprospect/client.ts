import { Client, type RequestOptions } from '../../client.js';
import { ConfigurationError } from '../../errors.js';
import { pathSegment } from '../../path.js';
import { type ServiceOptions, checkKey, keyAuth } from '../keys.js';
import { type CreateOrder, Order, OrderList } from './schemas.js';

export const OPENPROSPECT_BASE_URL = 'https://api.openprospect.io/api/v1';
export const OPENPROSPECT_KEY_PREFIXES = ['lnc_live_', 'lnc_test_'] as const;
const PRODUCTION_HOST = 'api.openprospect.io';

type Call = Pick<RequestOptions, 'signal' | 'timeout' | 'headers'>;

export type OpenProspectOptions = ServiceOptions;

/** OpenProspect: `lnc_live_…` keys, or `lnc_test_…` keys against a test environment (never production). */
export class OpenProspect extends Client {
  readonly orders = {
    list: (query: { limit?: number; offset?: number } = {}, options?: Call) =>
      this.get('/orders', { ...options, query, schema: OrderList }),
    create: (body: CreateOrder, options?: Call) => this.post('/orders', { ...options, json: body, schema: Order }),
  };

  readonly apiKeys = {
    revoke: async (id: string, options?: Call): Promise<void> => {
      await this.delete(`/api-keys/${pathSegment(id)}`, options);
    },
  };

  constructor(apiKey: string | undefined, options: OpenProspectOptions = {}) {
    const { store, ...rest } = options ?? {};
    const key = checkKey('OpenProspect', apiKey, OPENPROSPECT_KEY_PREFIXES);
    const baseURL = rest.baseURL ?? OPENPROSPECT_BASE_URL;
    if (key.startsWith('lnc_test_') && hostOf(baseURL) === PRODUCTION_HOST) {
      throw new ConfigurationError(
        'OpenProspect: an lnc_test_… key works only against a test environment; pass its `baseURL`, or use an lnc_live_… key.',
      );
    }
    super({ ...rest, baseURL, auth: keyAuth(key, store) });
  }
}

function hostOf(url: string): string | undefined {
  try {
    // A trailing dot names the same host (api.openprospect.io. is production too).
    return new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined;
  }
}
