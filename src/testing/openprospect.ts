/**
 * Stateful mock of the OpenProspect API (base URL includes `/api/v1`): scoped
 * API keys, orders, and key revocation, with the documented error envelopes.
 */
import { MOCK_CREDENTIALS, OPENPROSPECT_ORDER_SCOPES } from './credentials.js';
import { MockApi, empty, isRecord, json, randomId, statusText, type RouteContext, type RouteDef } from './state.js';

export interface OpenProspectMockOptions {
  /** Default `https://api.openprospect.io/api/v1`. */
  baseURL?: string;
}

export interface OpenProspectOrder {
  id: string;
  title: string;
  status: string;
  features: string[];
  companies: Record<string, unknown>[];
  created_at: string;
}

interface KeyRecord {
  id: string;
  key: string;
  scopes: readonly string[];
  revoked: boolean;
}

const SEED_ORDERS: readonly OpenProspectOrder[] = [
  {
    id: 'ord_0001',
    title: 'Q1 Enrichment',
    status: 'completed',
    features: ['CONTACTS'],
    companies: [{ company_name: 'Example Corp' }],
    created_at: '2025-01-15T09:00:00Z',
  },
  {
    id: 'ord_0002',
    title: 'DACH Manufacturing Discovery',
    status: 'processing',
    features: ['CONTACTS', 'TECH_STACK'],
    companies: [{ company_name: 'Muster Technik GmbH' }, { company_name: 'Beispiel Logistik AG' }],
    created_at: '2025-02-01T12:30:00Z',
  },
  {
    id: 'ord_0003',
    title: 'Nordics Prospect Refresh',
    status: 'pending',
    features: [],
    companies: [],
    created_at: '2025-03-10T16:45:00Z',
  },
];

const UNAUTHENTICATED = { code: 'AUTHENTICATION_ERROR', message: 'Invalid or missing API key' };

function validationError(field: string, message: string, msg: string, type: string): Response {
  return json(422, { code: 'VALIDATION_ERROR', message, detail: [{ loc: ['body', field], msg, type }] });
}

function queryInt(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number | Response {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    const msg = `${name} must be an integer between ${min} and ${max}`;
    return json(422, {
      code: 'VALIDATION_ERROR',
      message: msg,
      detail: [{ loc: ['query', name], msg, type: 'value_error' }],
    });
  }
  return value;
}

export class OpenProspectMock extends MockApi {
  readonly #seedKeys: KeyRecord[] = [];
  #keys: KeyRecord[] = [];
  #orders: OpenProspectOrder[] = [];
  #keySeq = 0;

  constructor(options: OpenProspectMockOptions = {}) {
    super('openprospect', options.baseURL ?? 'https://api.openprospect.io/api/v1');
    const creds = MOCK_CREDENTIALS.openprospect;
    this.#seedKeys.push(
      { id: creds.apiKeyId, key: creds.apiKey, scopes: [...OPENPROSPECT_ORDER_SCOPES, 'admin:write'], revoked: false },
      { id: creds.readOnlyKeyId, key: creds.readOnlyKey, scopes: ['orders:read'], revoked: false },
    );
    this.#keySeq = this.#seedKeys.length;
    this.resetState();
  }

  /** Adds a key with the given scopes (kept across `reset()`). Returns its id, for `DELETE /api-keys/:id`. */
  addKey(key: string, scopes: readonly string[]): string {
    this.#keySeq += 1;
    const record: KeyRecord = { id: `key_${String(this.#keySeq).padStart(4, '0')}`, key, scopes: [...scopes], revoked: false };
    this.#seedKeys.push(record);
    this.#keys.push({ ...record });
    return record.id;
  }

  /** The orders as stored now (newest first), copies. */
  get orders(): OpenProspectOrder[] {
    return this.#orders.map((o) => structuredClone(o));
  }

  protected override resetState(): void {
    this.#keys = this.#seedKeys.map((k) => ({ ...k }));
    this.#orders = SEED_ORDERS.map((o) => structuredClone(o)).reverse();
  }

  protected override errorBody(status: number): unknown {
    switch (status) {
      case 401:
        return UNAUTHENTICATED;
      case 403:
        return { code: 'AUTHORIZATION_ERROR', message: 'Forbidden' };
      case 404:
        return { code: 'NOT_FOUND', message: 'Not found' };
      case 405:
        return { code: 'METHOD_NOT_ALLOWED', message: 'Method not allowed' };
      case 429:
        return { code: 'rate_limit_exceeded', message: 'Too many requests' };
      case 500:
        return { code: 'INTERNAL_ERROR', message: 'Internal server error' };
      default: {
        const text = statusText(status);
        return { code: text.toUpperCase().replace(/[^A-Z0-9]+/g, '_'), message: text };
      }
    }
  }

  protected override routes(): RouteDef[] {
    return [
      { method: 'GET', path: '/orders', handle: (ctx) => this.#scoped(ctx, 'orders:read', () => this.#listOrders(ctx)) },
      { method: 'POST', path: '/orders', handle: (ctx) => this.#scoped(ctx, 'orders:write', () => this.#createOrder(ctx)) },
      { method: 'DELETE', path: '/api-keys/:id', handle: (ctx) => this.#scoped(ctx, 'admin:write', () => this.#revokeKey(ctx)) },
    ];
  }

  /** 401 without a working key, 403 (the documented envelope) without `scope`, else `next()`. */
  #scoped(ctx: RouteContext, scope: string, next: () => Response): Response {
    const record = ctx.bearer === undefined ? undefined : this.#keys.find((k) => k.key === ctx.bearer && !k.revoked);
    if (!record) return json(401, UNAUTHENTICATED);
    if (!record.scopes.includes(scope)) {
      return json(403, {
        code: 'AUTHORIZATION_ERROR',
        message: `Insufficient permissions. Required scopes: ${scope}`,
        detail: { required_scopes: [scope], user_scopes: [...record.scopes] },
      });
    }
    return next();
  }

  #listOrders(ctx: RouteContext): Response {
    const limit = queryInt(ctx.url.searchParams, 'limit', 10, 1, 100);
    if (limit instanceof Response) return limit;
    const offset = queryInt(ctx.url.searchParams, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    if (offset instanceof Response) return offset;
    return json(200, {
      orders: this.#orders.slice(offset, offset + limit).map(({ id, title, status }) => ({ id, title, status })),
      total: this.#orders.length,
    });
  }

  #createOrder(ctx: RouteContext): Response {
    if (ctx.invalidJson || !isRecord(ctx.body)) {
      return json(422, {
        code: 'VALIDATION_ERROR',
        message: 'Request body must be a JSON object',
        detail: [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }],
      });
    }
    const { title, features = [], companies = [] } = ctx.body;
    if (typeof title !== 'string' || title.trim() === '') {
      return validationError('title', 'title is required', 'Field required', 'missing');
    }
    if (!Array.isArray(features) || !features.every((f) => typeof f === 'string')) {
      return validationError('features', 'features must be a list of strings', 'Input should be a valid list', 'list_type');
    }
    if (!Array.isArray(companies) || !companies.every(isRecord)) {
      return validationError('companies', 'companies must be a list of objects', 'Input should be a valid list', 'list_type');
    }
    const order: OpenProspectOrder = {
      id: `ord_${randomId()}`,
      title,
      status: 'pending',
      features: features as string[],
      companies: structuredClone(companies as Record<string, unknown>[]),
      created_at: new Date(Date.now()).toISOString(),
    };
    this.#orders.unshift(order);
    return json(201, order);
  }

  #revokeKey(ctx: RouteContext): Response {
    const record = this.#keys.find((k) => k.id === ctx.params.id && !k.revoked);
    if (!record) return json(404, { code: 'NOT_FOUND', message: 'API key not found' });
    record.revoked = true;
    return empty(204);
  }
}
