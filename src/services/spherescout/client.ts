import { jwt } from '../../auth/jwt.js';
import { Client, type ClientOptions, type QueryValue, type RequestOptions } from '../../client.js';
import { ConfigurationError } from '../../errors.js';
import { pathSegment } from '../../path.js';
import { type ServiceOptions, checkKey, keyAuth } from '../keys.js';
import { ApiKeyList, CompanyList, CreatedApiKey, UserProfile } from './schemas.js';

export const SPHERESCOUT_BASE_URL = 'https://www.spherescout.io';

export type SphereScoutOptions = ServiceOptions &
  (
    | { apiKey: string | undefined; username?: undefined; password?: undefined; refreshSkew?: undefined }
    | {
        username: string;
        password: string;
        apiKey?: undefined;
        /** Renew this many ms before the access token's `exp` (see `jwt()`). @default 60_000 */
        refreshSkew?: number | undefined;
      }
  );

export interface CompanyQuery {
  /** One ISO country code, or several (sent comma-separated). */
  countries?: string | readonly string[];
  /** Only companies with an email address. */
  email?: boolean;
  [name: string]: QueryValue | readonly string[];
}

type Call = Pick<RequestOptions, 'signal' | 'timeout' | 'headers'>;

/** SphereScout: an API key, or `username` + `password` (login + refresh JWT). */
export class SphereScout extends Client {
  readonly user = {
    profile: (options?: Call) => this.get('/api/user/profile', { ...options, schema: UserProfile }),
  };

  readonly companies = {
    list: (query: CompanyQuery = {}, options?: Call) => {
      const { countries, ...rest } = query;
      // Several countries go comma-separated; an empty list means no filter, not `countries=`.
      const joined = typeof countries === 'string' || countries === undefined ? countries : countries.join(',') || undefined;
      return this.get('/api/companies', {
        ...options,
        query: { ...(rest as Record<string, QueryValue>), countries: joined },
        schema: CompanyList,
      });
    },
  };

  readonly apiKeys = {
    list: (options?: Call) => this.get('/api/user/api-keys', { ...options, schema: ApiKeyList }),
    create: (body: { expiry?: string } = {}, options?: Call) =>
      this.post('/api/user/api-keys', { ...options, json: body, schema: CreatedApiKey }),
    revoke: async (id: string, options?: Call): Promise<void> => {
      await this.delete(`/api/user/api-keys/${pathSegment(id)}`, options);
    },
  };

  constructor(options: SphereScoutOptions) {
    const { apiKey, username, password, store, refreshSkew, ...rest } = (options ?? {}) as SphereScoutOptions;
    let auth: ClientOptions['auth'];
    if (username !== undefined || password !== undefined) {
      if (typeof username !== 'string' || typeof password !== 'string') {
        throw new ConfigurationError('SphereScout: give both `username` and `password`.');
      }
      auth = jwt({ username, password, store, refreshSkew });
    } else {
      if (apiKey === undefined) throw new ConfigurationError('SphereScout: give `apiKey`, or `username` and `password`.');
      auth = keyAuth(checkKey('SphereScout', apiKey, []), store);
    }
    super({ ...rest, baseURL: rest.baseURL ?? SPHERESCOUT_BASE_URL, auth });
  }
}
