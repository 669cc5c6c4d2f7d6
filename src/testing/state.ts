/**
 * Shared machinery of the bearerkit mocks: the `MockApi` base class (routing,
 * stats, redacted request log, fault injection) and small helpers to mint
 * tokens. Runs in Node and in browsers: no `node:` import, no Buffer.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';

/** What `failNext` makes the next matching requests do instead of (or before) normal handling. */
export interface FaultSpec {
  /** Status of the faulty response. Defaults to 500 when `body` is set. */
  status?: number;
  /** Headers of the faulty response (or, for a delay-only fault, added to the normal response). */
  headers?: Record<string, string>;
  /** An object is sent as JSON, a string as is, `null` as an empty body. Default: the API's own error envelope for `status`. */
  body?: unknown;
  /** Answer with a network error (`HttpResponse.error()`; over real HTTP the socket is reset). */
  network?: boolean;
  /** Wait this long (a plain `setTimeout`, so fake timers control it) before answering. */
  delayMs?: number;
  /** Only requests whose pathname, relative to the API's base URL, starts with this. */
  path?: string;
}

export interface MockStats {
  requests: number;
  logins: number;
  refreshes: number;
  /** Keyed `"METHOD /route-template"`, e.g. `"DELETE /api/user/api-keys/:id"`; unknown routes count as `"METHOD *"`. */
  byRoute: Record<string, number>;
  /** Requests answered with a fault (`failNext` or `randomFaults`) instead of normal handling. */
  faults: number;
}

export interface LoggedRequest {
  method: string;
  /** Pathname relative to the API's base URL, plus the query string. */
  path: string;
  /** Redacted: `"Bearer ***"` plus the credential's last 4 characters. */
  authorization: string | undefined;
  /** Parsed JSON body with secret fields redacted; `undefined` when there is none. */
  body: unknown;
}

export type MockApiName = 'spherescout' | 'scamverify' | 'openprospect' | 'session';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route handler gets: the request plus what the base class already parsed. */
export interface RouteContext {
  readonly request: Request;
  readonly url: URL;
  /** Pathname relative to the base URL. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** The parsed JSON body; `undefined` when the body is empty or not JSON. */
  readonly body: unknown;
  /** True when there was a body and it was not valid JSON. */
  readonly invalidJson: boolean;
  /** The credential after `Bearer `, when the Authorization header uses that scheme. */
  readonly bearer: string | undefined;
}

export interface RouteDef {
  readonly method: RouteMethod;
  /** Template relative to the base URL, msw syntax: `/api/user/api-keys/:id`. */
  readonly path: string;
  /** Which stats counter, besides `requests` and `byRoute`, every call to this route bumps. */
  readonly counter?: 'logins' | 'refreshes';
  readonly handle: (ctx: RouteContext) => Response | Promise<Response>;
}

export { statusText } from '../http-status.js';

/** A JSON response. */
export function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  const h = new Headers(headers);
  if (!h.has('content-type')) h.set('content-type', 'application/json');
  return new HttpResponse(JSON.stringify(body), { status, headers: h });
}

/** An empty response (204 by default). */
export function empty(status = 204, headers?: Record<string, string>): Response {
  return new HttpResponse(null, { status, headers });
}

/** Resolves after `ms` (plain `setTimeout`, so fake timers drive it), or at once when `signal` aborts. */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

// ---------------------------------------------------------------- tokens

export const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const BASE64URL = `${BASE62}-_`;

export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/** `length` characters drawn uniformly from `alphabet` (rejection sampling, no modulo bias). */
export function randomToken(length: number, alphabet: string = BASE62): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export function base64url(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64urlDecode(input: string): string {
  const b64 = input.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** A JWT-shaped token: base64url(header).base64url(payload).base64url(random signature). Not signed. */
export function mintJwt(payload: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  return `${header}.${base64url(JSON.stringify(payload))}.${base64url(randomBytes(32))}`;
}

/** The payload of a JWT-shaped token, or undefined when it is not one. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(base64urlDecode(part));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function randomId(): string {
  return globalThis.crypto.randomUUID();
}

/** ISO 8601 the way Django REST framework writes it: no `.000` when the milliseconds are 0. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------- redaction

const SECRET_FIELDS = new Set([
  'password',
  'refresh',
  'refresh_token',
  'access',
  'access_token',
  'api_key',
  'apikey',
  'token',
  'secret',
  'client_secret',
]);

/** `"***"` plus the last 4 characters; short values (under 12 characters) show nothing at all. */
export function redactSecret(value: string): string {
  return value.length >= 12 ? `***${value.slice(-4)}` : '***';
}

export function redactAuthorization(header: string | null): string | undefined {
  if (header === null) return undefined;
  const match = /^(\S+)\s+(.+)$/.exec(header.trim());
  if (!match) return redactSecret(header);
  return `${match[1]} ${redactSecret(match[2]!)}`;
}

/** A copy of a parsed JSON body with every secret-named string field redacted, at any depth. */
export function redactBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactBody);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] =
      SECRET_FIELDS.has(key.toLowerCase()) && typeof field === 'string' ? redactSecret(field) : redactBody(field);
  }
  return out;
}

// ---------------------------------------------------------------- MockApi

interface QueuedFault {
  remaining: number;
  readonly fault: FaultSpec;
}

function isResponseFault(fault: FaultSpec): boolean {
  return fault.status !== undefined || fault.body !== undefined || fault.network === true;
}

function templateRegExp(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

const METHOD_FACTORY = {
  GET: http.get,
  POST: http.post,
  PUT: http.put,
  PATCH: http.patch,
  DELETE: http.delete,
} as const;

/**
 * Base of the four stateful mocks. A subclass lists its routes; this class turns them
 * into msw handlers, counts and logs every request (redacted), and applies queued faults.
 */
export abstract class MockApi {
  readonly name: MockApiName;
  /** The base URL the handlers answer under, without a trailing slash. */
  readonly baseURL: string;
  readonly stats: MockStats = { requests: 0, logins: 0, refreshes: 0, faults: 0, byRoute: {} };
  readonly log: LoggedRequest[] = [];

  readonly #basePath: string;
  #faults: QueuedFault[] = [];
  #chaos: { rate: number; faults: FaultSpec[]; paths?: string[] | undefined } | undefined;
  #handlers: HttpHandler[] | undefined;
  #routes: RouteDef[] | undefined;
  #requestSeq = 0;

  protected constructor(name: MockApiName, baseURL: string) {
    const url = new URL(baseURL); // throws on a malformed base URL
    this.name = name;
    this.baseURL = baseURL.replace(/\/+$/, '');
    this.#basePath = url.pathname.replace(/\/+$/, '');
  }

  /** The API's routes. Called once, lazily. */
  protected abstract routes(): RouteDef[];

  /** The API's own error envelope for a status (used for faults without a body, 404, 405). */
  protected abstract errorBody(status: number): unknown;

  /** Clears the API's runtime state (issued tokens, created records, revocations). */
  protected abstract resetState(): void;

  /** msw request handlers for this API, built once for `baseURL`. */
  get handlers(): HttpHandler[] {
    if (!this.#handlers) {
      const routeHandlers = this.#getRoutes().map((route) =>
        METHOD_FACTORY[route.method](`${this.baseURL}${route.path}`, ({ request, params }) =>
          this.#dispatch(route, request, params),
        ),
      );
      const fallback = http.all(`${this.baseURL}/*`, ({ request, params }) =>
        this.#dispatch(undefined, request, params),
      );
      this.#handlers = [...routeHandlers, fallback];
    }
    return this.#handlers;
  }

  /** The next `count` matching requests get `fault` instead of normal handling. Faults queue in call order. */
  failNext(count: number, fault: FaultSpec): void {
    if (!(count === Infinity || (Number.isInteger(count) && count > 0))) {
      throw new RangeError(`failNext: count must be a positive integer, got ${String(count)}`);
    }
    this.#faults.push({ remaining: count, fault: { ...fault } });
  }

  /**
   * Chaos: from now on, each request whose path starts with one of `paths` (all, when omitted)
   * and that no queued fault answers gets one of `faults`, picked at random, with probability
   * `rate`. `randomFaults(undefined)` turns it off; `reset()` too.
   */
  randomFaults(options: { rate: number; faults: FaultSpec[]; paths?: string[] } | undefined): void {
    if (options && !(options.rate >= 0 && options.rate <= 1 && options.faults.length > 0)) {
      throw new RangeError('randomFaults: rate must be from 0 to 1, with at least one fault');
    }
    this.#chaos = options && { ...options, faults: options.faults.map((f) => ({ ...f })) };
  }

  #randomFault(path: string): FaultSpec | undefined {
    const chaos = this.#chaos;
    if (!chaos || Math.random() >= chaos.rate) return undefined;
    if (chaos.paths && !chaos.paths.some((p) => path.startsWith(p))) return undefined;
    return chaos.faults[Math.floor(Math.random() * chaos.faults.length)];
  }

  /** How many requests the queued faults will still answer (Infinity when one is endless). */
  get pendingFaults(): number {
    return this.#faults.reduce((sum, q) => sum + q.remaining, 0);
  }

  /** Clears stats, log, queued faults and issued tokens; keeps seeded and added users/keys. */
  reset(): void {
    this.stats.requests = 0;
    this.stats.logins = 0;
    this.stats.refreshes = 0;
    this.stats.faults = 0;
    this.stats.byRoute = {};
    this.log.length = 0;
    this.#faults = [];
    this.#chaos = undefined;
    this.#requestSeq = 0;
    this.resetState();
  }

  /** A JSON error response in this API's envelope. */
  protected error(status: number, headers?: Record<string, string>): Response {
    return json(status, this.errorBody(status), headers);
  }

  #getRoutes(): RouteDef[] {
    this.#routes ??= this.routes();
    return this.#routes;
  }

  #takeFault(path: string): FaultSpec | undefined {
    const fault = this.#nextFault(path);
    if (fault) this.stats.faults++;
    return fault;
  }

  #nextFault(path: string): FaultSpec | undefined {
    const index = this.#faults.findIndex((q) => q.fault.path === undefined || path.startsWith(q.fault.path));
    if (index === -1) return this.#randomFault(path);
    const queued = this.#faults[index]!;
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.#faults.splice(index, 1);
    return queued.fault;
  }

  #faultResponse(fault: FaultSpec): Response {
    const status = fault.status ?? 500;
    const headers = new Headers(fault.headers);
    const body = fault.body === undefined ? this.errorBody(status) : fault.body;
    if (status === 204 || status === 205 || status === 304 || body === null) {
      return new HttpResponse(null, { status, headers });
    }
    if (typeof body === 'string') {
      if (!headers.has('content-type')) headers.set('content-type', 'text/plain; charset=utf-8');
      return new HttpResponse(body, { status, headers });
    }
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new HttpResponse(JSON.stringify(body), { status, headers });
  }

  #unmatched(method: string, path: string): Response {
    const other = this.#getRoutes().some((r) => r.method !== method && templateRegExp(r.path).test(path));
    return other ? this.error(405, { allow: this.#allowed(path) }) : this.error(404);
  }

  #allowed(path: string): string {
    return this.#getRoutes()
      .filter((r) => templateRegExp(r.path).test(path))
      .map((r) => r.method)
      .join(', ');
  }

  async #dispatch(
    route: RouteDef | undefined,
    request: Request,
    rawParams: Record<string, string | readonly string[] | undefined>,
  ): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const path = url.pathname.startsWith(this.#basePath)
      ? url.pathname.slice(this.#basePath.length) || '/'
      : url.pathname;

    // Read the body once, from a clone, for both the log and the handler.
    const text = method === 'GET' || method === 'HEAD' ? '' : await request.clone().text();
    let body: unknown;
    let invalidJson = false;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        invalidJson = true;
      }
    }

    const routeKey = route ? `${route.method} ${route.path}` : `${method} *`;
    this.stats.requests += 1;
    this.stats.byRoute[routeKey] = (this.stats.byRoute[routeKey] ?? 0) + 1;
    if (route?.counter) this.stats[route.counter] += 1;
    const authorization = request.headers.get('authorization');
    this.log.push({
      method,
      path: path + url.search,
      authorization: redactAuthorization(authorization),
      body: invalidJson ? `<non-JSON body, ${text.length} characters>` : redactBody(body),
    });
    const requestId = `req_${this.name}_${++this.#requestSeq}`;

    const fault = this.#takeFault(path);
    if (fault?.delayMs !== undefined && fault.delayMs > 0) await wait(fault.delayMs, request.signal);
    if (fault?.network) return HttpResponse.error();

    let response: Response;
    if (fault && isResponseFault(fault)) {
      response = this.#faultResponse(fault);
    } else {
      const bearerMatch = authorization === null ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const params: Record<string, string> = {};
      for (const [key, value] of Object.entries(rawParams)) {
        if (typeof value === 'string') params[key] = value;
        else if (Array.isArray(value)) params[key] = value.join('/');
      }
      try {
        response = route
          ? await route.handle({ request, url, path, params, body, invalidJson, bearer: bearerMatch?.[1] })
          : this.#unmatched(method, path);
      } catch {
        response = this.error(500);
      }
      if (fault?.headers) {
        for (const [key, value] of Object.entries(fault.headers)) response.headers.set(key, value);
      }
    }
    if (!response.headers.has('x-request-id')) response.headers.set('x-request-id', requestId);
    return response;
  }
}
