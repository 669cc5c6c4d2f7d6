/**
 * Stateful mock of the session-login API: `POST /auth/login {api_key, session_id?}`
 * hands out a bearer token per (api_key, session_id), returning the same token
 * while it is still valid, and a protected `GET /v1/me`.
 */
import { MOCK_CREDENTIALS } from './credentials.js';
import { MockApi, isRecord, json, mintJwt, randomToken, statusText, type RouteContext, type RouteDef } from './state.js';

export interface SessionMockOptions {
  /** Default `https://session.bearerkit.test` (the document names no host). */
  baseURL?: string;
  /** `expires_in` of new tokens, in seconds. Default 7200. */
  tokenLifetimeSec?: number;
}

interface TokenRecord {
  token: string;
  sessionId: string | null;
  expiresAt: number;
}

const TOKEN_EXPIRED = { error: 'token_expired', message: 'Token expired' };

function invalidRequest(message: string): Response {
  return json(400, { error: 'invalid_request', message });
}

export class SessionMock extends MockApi {
  /** `expires_in` of tokens issued from now on, in seconds. */
  tokenLifetimeSec: number;

  readonly #initialLifetimeSec: number;
  readonly #keys = new Set<string>();
  /** Every token issued, by token. */
  readonly #tokens = new Map<string, TokenRecord>();
  /** The current token of each (api_key, session_id). */
  readonly #current = new Map<string, TokenRecord>();

  constructor(options: SessionMockOptions = {}) {
    super('session', options.baseURL ?? 'https://session.bearerkit.test');
    this.#initialLifetimeSec = options.tokenLifetimeSec ?? 7200;
    this.tokenLifetimeSec = this.#initialLifetimeSec;
    this.#keys.add(MOCK_CREDENTIALS.session.apiKey);
  }

  /** Adds an API key (kept across `reset()`). */
  addKey(key: string): void {
    this.#keys.add(key);
  }

  /** Every token issued so far expires now. */
  expireTokens(): void {
    const now = Date.now();
    for (const record of this.#tokens.values()) record.expiresAt = Math.min(record.expiresAt, now);
  }

  protected override resetState(): void {
    this.#tokens.clear();
    this.#current.clear();
    this.tokenLifetimeSec = this.#initialLifetimeSec;
  }

  protected override errorBody(status: number): unknown {
    switch (status) {
      case 401:
        return TOKEN_EXPIRED;
      case 429:
        return { error: 'rate_limited', message: 'Too many requests' };
      default: {
        const text = statusText(status);
        return { error: text.toLowerCase().replace(/[^a-z0-9]+/g, '_'), message: text };
      }
    }
  }

  protected override routes(): RouteDef[] {
    return [
      { method: 'POST', path: '/auth/login', counter: 'logins', handle: (ctx) => this.#login(ctx) },
      { method: 'GET', path: '/v1/me', handle: (ctx) => this.#me(ctx) },
    ];
  }

  #login(ctx: RouteContext): Response {
    if (ctx.invalidJson || !isRecord(ctx.body)) return invalidRequest('Request body must be a JSON object');
    const { api_key: apiKey, session_id: rawSessionId } = ctx.body;
    if (typeof apiKey !== 'string' || apiKey === '') return invalidRequest('api_key is required');
    if (rawSessionId !== undefined && rawSessionId !== null && typeof rawSessionId !== 'string') {
      return invalidRequest('session_id must be a string');
    }
    if (!this.#keys.has(apiKey)) return json(401, { error: 'invalid_api_key', message: 'Invalid API key' });

    const sessionId = typeof rawSessionId === 'string' && rawSessionId !== '' ? rawSessionId : null;
    const slot = `${apiKey}\u0000${sessionId ?? ''}`;
    const now = Date.now();
    const current = this.#current.get(slot);
    // The same token while at least a whole second of it is left, so expires_in is never 0.
    if (current && current.expiresAt - now >= 1000) {
      return json(200, {
        access_token: current.token,
        expires_in: Math.floor((current.expiresAt - now) / 1000),
        token_type: 'Bearer',
      });
    }
    const expiresAt = now + this.tokenLifetimeSec * 1000;
    const record: TokenRecord = {
      token: mintJwt({
        token_type: 'session',
        sid: sessionId,
        exp: Math.floor(expiresAt / 1000),
        iat: Math.floor(now / 1000),
        jti: randomToken(32, '0123456789abcdef'),
      }),
      sessionId,
      expiresAt,
    };
    this.#tokens.set(record.token, record);
    this.#current.set(slot, record);
    return json(200, { access_token: record.token, expires_in: this.tokenLifetimeSec, token_type: 'Bearer' });
  }

  #me(ctx: RouteContext): Response {
    if (ctx.bearer === undefined) {
      return json(401, { error: 'missing_token', message: 'The Authorization header is required' });
    }
    const record = this.#tokens.get(ctx.bearer);
    const now = Date.now();
    if (!record || now >= record.expiresAt) return json(401, TOKEN_EXPIRED);
    return json(200, { session_id: record.sessionId, expires_in: Math.floor((record.expiresAt - now) / 1000) });
  }
}
