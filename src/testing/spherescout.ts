/**
 * Stateful mock of the SphereScout API: JWT login/refresh (with rotation and a
 * blacklist), API keys, the user profile and a small company search.
 */
import { MOCK_CREDENTIALS } from './credentials.js';
import {
  BASE62,
  MockApi,
  empty,
  isRecord,
  isoDate,
  json,
  mintJwt,
  randomId,
  randomToken,
  statusText,
  type RouteContext,
  type RouteDef,
} from './state.js';

export interface SphereScoutMockOptions {
  /** Default `https://www.spherescout.io`. */
  baseURL?: string;
  /** Access token lifetime, measured with `Date.now()`. Default 300_000 (5 minutes). */
  accessTokenLifetimeMs?: number;
  /** Refresh token lifetime. Default 86_400_000 (1 day). */
  refreshTokenLifetimeMs?: number;
  /** Refresh answers a new refresh token and blacklists the old one. Default true. */
  rotateRefreshTokens?: boolean;
}

export interface SphereScoutUser {
  id: number;
  email: string;
  username: string;
  first_name: string;
  last_name: string;
}

interface UserRecord extends SphereScoutUser {
  password: string;
}

interface ApiKeyRecord {
  id: string;
  token: string;
  userId: number;
  created: string;
  expiry: string | null;
  revoked: boolean;
}

interface AccessRecord {
  userId: number;
  expiresAt: number;
}

interface RefreshRecord {
  userId: number;
  expiresAt: number;
  blacklisted: boolean;
}

export interface SphereScoutCompany {
  name: string;
  country: string;
  website: string;
  email?: string;
}

/** The fixed data set behind `GET /api/companies` (fictional companies, `.example` domains). */
export const SPHERESCOUT_COMPANIES: readonly SphereScoutCompany[] = [
  { name: 'Muster Technik GmbH', country: 'DE', website: 'https://muster-technik.example', email: 'info@muster-technik.example' },
  { name: 'Beispiel Logistik AG', country: 'DE', website: 'https://beispiel-logistik.example', email: 'kontakt@beispiel-logistik.example' },
  { name: 'Nordlicht Software GmbH', country: 'DE', website: 'https://nordlicht-software.example' },
  { name: 'Rheinwerk Maschinenbau KG', country: 'DE', website: 'https://rheinwerk-mb.example', email: 'vertrieb@rheinwerk-mb.example' },
  { name: 'Alpenblick Hotels GmbH', country: 'DE', website: 'https://alpenblick-hotels.example', email: 'hallo@alpenblick-hotels.example' },
  { name: 'Acme Widgets Inc.', country: 'US', website: 'https://acme-widgets.example', email: 'sales@acme-widgets.example' },
  { name: 'Example Analytics LLC', country: 'US', website: 'https://example-analytics.example' },
  { name: 'Placeholder Foods Corp.', country: 'US', website: 'https://placeholder-foods.example', email: 'hello@placeholder-foods.example' },
  { name: 'Exemple Conseil SARL', country: 'FR', website: 'https://exemple-conseil.example', email: 'contact@exemple-conseil.example' },
  { name: 'Modèle Énergie SAS', country: 'FR', website: 'https://modele-energie.example' },
  { name: 'Sample Trading Ltd', country: 'GB', website: 'https://sample-trading.example', email: 'enquiries@sample-trading.example' },
  { name: 'Specimen Labs Ltd', country: 'GB', website: 'https://specimen-labs.example' },
];

const PAGE_SIZE = 10;
const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' };
const TOKEN_NOT_VALID = { detail: 'Given token not valid for any token type', code: 'token_not_valid' };
const WWW_AUTHENTICATE = { 'www-authenticate': 'Bearer realm="api"' };

export class SphereScoutMock extends MockApi {
  /** Lifetime of access tokens issued from now on. */
  accessTokenLifetimeMs: number;
  /** Lifetime of refresh tokens issued from now on. */
  refreshTokenLifetimeMs: number;
  /** Whether refresh rotates (and blacklists) refresh tokens. */
  rotateRefreshTokens: boolean;

  readonly #initial: Required<Omit<SphereScoutMockOptions, 'baseURL'>>;
  readonly #users: UserRecord[] = [];
  readonly #seedKeys: ApiKeyRecord[] = [];
  #keys: ApiKeyRecord[] = [];
  readonly #access = new Map<string, AccessRecord>();
  readonly #refresh = new Map<string, RefreshRecord>();

  constructor(options: SphereScoutMockOptions = {}) {
    super('spherescout', options.baseURL ?? 'https://www.spherescout.io');
    this.#initial = {
      accessTokenLifetimeMs: options.accessTokenLifetimeMs ?? 300_000,
      refreshTokenLifetimeMs: options.refreshTokenLifetimeMs ?? 86_400_000,
      rotateRefreshTokens: options.rotateRefreshTokens ?? true,
    };
    this.accessTokenLifetimeMs = this.#initial.accessTokenLifetimeMs;
    this.refreshTokenLifetimeMs = this.#initial.refreshTokenLifetimeMs;
    this.rotateRefreshTokens = this.#initial.rotateRefreshTokens;

    const demo = MOCK_CREDENTIALS.spherescout;
    this.#users.push({
      id: 1,
      email: demo.username,
      username: demo.username,
      first_name: 'Demo',
      last_name: 'User',
      password: demo.password,
    });
    this.#seedKeys.push({
      id: demo.apiKeyId,
      token: demo.apiKey,
      userId: 1,
      created: '2025-01-01T00:00:00Z',
      expiry: null,
      revoked: false,
    });
    this.resetState();
  }

  /** Adds a user (its email is the username) or changes an existing user's password. Returns the user id. */
  addUser(username: string, password: string): number {
    const existing = this.#users.find((u) => u.username === username);
    if (existing) {
      existing.password = password;
      return existing.id;
    }
    const id = Math.max(...this.#users.map((u) => u.id)) + 1;
    this.#users.push({ id, email: username, username, first_name: '', last_name: '', password });
    return id;
  }

  /** Adds an API key (owned by `username`, default the demo user) that survives `reset()`. Returns its id. */
  addApiKey(token: string, username: string = MOCK_CREDENTIALS.spherescout.username): string {
    const user = this.#users.find((u) => u.username === username);
    if (!user) throw new Error(`SphereScoutMock.addApiKey: unknown user ${username}`);
    const record: ApiKeyRecord = {
      id: randomId(),
      token,
      userId: user.id,
      created: isoDate(Date.now()),
      expiry: null,
      revoked: false,
    };
    this.#seedKeys.push(record);
    this.#keys.push({ ...record });
    return record.id;
  }

  /** Every access token issued so far expires now. */
  expireAccessTokens(): void {
    const now = Date.now();
    for (const record of this.#access.values()) record.expiresAt = Math.min(record.expiresAt, now);
  }

  /** Every refresh token issued so far is blacklisted. */
  revokeRefreshTokens(): void {
    for (const record of this.#refresh.values()) record.blacklisted = true;
  }

  protected override resetState(): void {
    this.#access.clear();
    this.#refresh.clear();
    this.#keys = this.#seedKeys.map((k) => ({ ...k }));
    this.accessTokenLifetimeMs = this.#initial.accessTokenLifetimeMs;
    this.refreshTokenLifetimeMs = this.#initial.refreshTokenLifetimeMs;
    this.rotateRefreshTokens = this.#initial.rotateRefreshTokens;
  }

  protected override errorBody(status: number): unknown {
    switch (status) {
      case 401:
        return TOKEN_NOT_VALID;
      case 403:
        return { detail: 'You do not have permission to perform this action.' };
      case 404:
        return { detail: 'Not found.' };
      case 405:
        return { detail: 'Method not allowed.' };
      case 429:
        return { detail: 'Request was throttled.' };
      case 500:
        return { detail: 'A server error occurred.' };
      default:
        return { detail: statusText(status) };
    }
  }

  protected override routes(): RouteDef[] {
    return [
      { method: 'POST', path: '/api/auth/login', counter: 'logins', handle: (ctx) => this.#login(ctx) },
      { method: 'POST', path: '/api/token/refresh', counter: 'refreshes', handle: (ctx) => this.#refreshToken(ctx) },
      { method: 'GET', path: '/api/user/profile', handle: (ctx) => this.#authed(ctx, (user) => json(200, publicUser(user))) },
      { method: 'GET', path: '/api/companies', handle: (ctx) => this.#authed(ctx, () => this.#companies(ctx)) },
      { method: 'GET', path: '/api/user/api-keys', handle: (ctx) => this.#authed(ctx, (user) => this.#listKeys(user)) },
      { method: 'POST', path: '/api/user/api-keys', handle: (ctx) => this.#authed(ctx, (user) => this.#createKey(ctx, user)) },
      { method: 'DELETE', path: '/api/user/api-keys/:id', handle: (ctx) => this.#authed(ctx, (user) => this.#revokeKey(ctx, user)) },
    ];
  }

  // ---------------------------------------------------------- tokens

  #issueAccess(userId: number): string {
    const now = Date.now();
    const expiresAt = now + this.accessTokenLifetimeMs;
    const token = mintJwt({
      token_type: 'access',
      exp: Math.floor(expiresAt / 1000),
      iat: Math.floor(now / 1000),
      jti: randomToken(32, '0123456789abcdef'),
      user_id: userId,
    });
    this.#access.set(token, { userId, expiresAt });
    return token;
  }

  #issueRefresh(userId: number): string {
    const now = Date.now();
    const expiresAt = now + this.refreshTokenLifetimeMs;
    const token = mintJwt({
      token_type: 'refresh',
      exp: Math.floor(expiresAt / 1000),
      iat: Math.floor(now / 1000),
      jti: randomToken(32, '0123456789abcdef'),
      user_id: userId,
    });
    this.#refresh.set(token, { userId, expiresAt, blacklisted: false });
    return token;
  }

  #login(ctx: RouteContext): Response {
    if (ctx.invalidJson) return json(400, { detail: 'JSON parse error - Expecting value' });
    const body = isRecord(ctx.body) ? ctx.body : {};
    const missing: Record<string, string[]> = {};
    for (const field of ['username', 'password']) {
      if (typeof body[field] !== 'string' || body[field] === '') missing[field] = ['This field is required.'];
    }
    if (Object.keys(missing).length > 0) return json(400, missing);
    const user = this.#users.find((u) => u.username === body.username && u.password === body.password);
    if (!user) return json(401, { detail: 'No active account found with the given credentials' }, WWW_AUTHENTICATE);
    return json(200, {
      access: this.#issueAccess(user.id),
      refresh: this.#issueRefresh(user.id),
      user: { id: user.id, email: user.email, username: user.username },
    });
  }

  #refreshToken(ctx: RouteContext): Response {
    if (ctx.invalidJson) return json(400, { detail: 'JSON parse error - Expecting value' });
    const token = isRecord(ctx.body) ? ctx.body.refresh : undefined;
    if (typeof token !== 'string' || token === '') return json(400, { refresh: ['This field is required.'] });
    const record = this.#refresh.get(token);
    if (!record || Date.now() >= record.expiresAt) {
      return json(401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }, WWW_AUTHENTICATE);
    }
    if (record.blacklisted) {
      return json(401, { detail: 'Token is blacklisted', code: 'token_not_valid' }, WWW_AUTHENTICATE);
    }
    const access = this.#issueAccess(record.userId);
    if (!this.rotateRefreshTokens) return json(200, { access });
    record.blacklisted = true;
    return json(200, { access, refresh: this.#issueRefresh(record.userId) });
  }

  /** Runs `next` for the user the request authenticates as (access token or API key), else answers 401. */
  #authed(ctx: RouteContext, next: (user: UserRecord) => Response): Response {
    if (ctx.bearer === undefined) return json(401, NOT_PROVIDED, WWW_AUTHENTICATE);
    const now = Date.now();
    let userId: number | undefined;
    const access = this.#access.get(ctx.bearer);
    if (access) {
      if (now < access.expiresAt) userId = access.userId;
    } else {
      const key = this.#keys.find((k) => k.token === ctx.bearer && !k.revoked);
      if (key && (key.expiry === null || now < Date.parse(key.expiry))) userId = key.userId;
    }
    const user = userId === undefined ? undefined : this.#users.find((u) => u.id === userId);
    if (!user) return json(401, TOKEN_NOT_VALID, WWW_AUTHENTICATE);
    return next(user);
  }

  // ---------------------------------------------------------- resources

  #companies(ctx: RouteContext): Response {
    const query = ctx.url.searchParams;
    const countries = (query.get('countries') ?? '')
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter((c) => c !== '');
    const emailOnly = (query.get('email') ?? '').toLowerCase() === 'true';
    const pageParam = query.get('page');
    const page = pageParam === null ? 1 : Number(pageParam);
    if (!Number.isInteger(page) || page < 1) return json(404, { detail: 'Invalid page.' });
    const matching = SPHERESCOUT_COMPANIES.filter(
      (c) => (countries.length === 0 || countries.includes(c.country)) && (!emailOnly || c.email !== undefined),
    );
    const results = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((c) => ({ ...c }));
    return json(200, { totalCount: matching.length, results });
  }

  #listKeys(user: UserRecord): Response {
    return json(
      200,
      this.#keys.filter((k) => k.userId === user.id && !k.revoked).map(publicKey),
    );
  }

  #createKey(ctx: RouteContext, user: UserRecord): Response {
    if (ctx.invalidJson) return json(400, { detail: 'JSON parse error - Expecting value' });
    if (ctx.body !== undefined && !isRecord(ctx.body)) {
      return json(400, { non_field_errors: ['Invalid data. Expected a dictionary.'] });
    }
    const rawExpiry = ctx.body?.expiry;
    let expiry: string | null = null;
    if (rawExpiry !== undefined && rawExpiry !== null) {
      const ms = typeof rawExpiry === 'string' ? Date.parse(rawExpiry) : Number.NaN;
      if (Number.isNaN(ms)) {
        return json(400, {
          expiry: ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'],
        });
      }
      expiry = isoDate(ms);
    }
    const record: ApiKeyRecord = {
      id: randomId(),
      token: `ss_${randomToken(40, BASE62)}`,
      userId: user.id,
      created: isoDate(Date.now()),
      expiry,
      revoked: false,
    };
    this.#keys.push(record);
    return json(201, { token: record.token, api_key: publicKey(record) });
  }

  #revokeKey(ctx: RouteContext, user: UserRecord): Response {
    const key = this.#keys.find((k) => k.id === ctx.params.id && k.userId === user.id && !k.revoked);
    if (!key) return json(404, { detail: 'Not found.' });
    key.revoked = true;
    return empty(204);
  }
}

function publicUser(user: UserRecord): SphereScoutUser {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    first_name: user.first_name,
    last_name: user.last_name,
  };
}

function publicKey(key: ApiKeyRecord): { id: string; token_key: string; created: string; expiry: string | null } {
  return { id: key.id, token_key: key.token.slice(0, 8), created: key.created, expiry: key.expiry };
}
