import ky, { type Options as KyOptions } from 'ky';
import pRetry from 'p-retry';
import { abortable, sleep } from './abort.js';
import { apiKey } from './auth/api-key.js';
import type { AuthTransport, Credentials } from './auth/credentials.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  BearerkitError,
  ConfigurationError,
  RateLimitError,
  ResponseValidationError,
  errorFromResponse,
} from './errors.js';
import { parseRetryAfter } from './retry-after.js';
import { markFinal, retryDelay } from './retry.js';
import { type Output, type StandardSchemaV1, validate } from './schema.js';
import { VERSION } from './version.js';

export interface ClientOptions {
  /** Origin plus optional path prefix, e.g. `https://api.example.com/v1`. Required on `Client`. */
  baseURL?: string;
  /** A credential strategy, or a string (= `apiKey(string)`). */
  auth?: Credentials | string;
  /** Retries for 429, 502/503/504 and network errors (the one 401 replay is not counted). @default 2 */
  maxRetries?: number;
  /** The longest wait honoured; a longer `Retry-After` throws at once. @default 60_000 */
  maxRetryDelay?: number;
  /** Per attempt, in ms. @default 60_000 */
  timeout?: number;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Allow credentials over plain `http://` to a host other than loopback. @default false */
  allowInsecureHttp?: boolean;
}

export type QueryPrimitive = string | number | boolean;
export type QueryValue = QueryPrimitive | ReadonlyArray<QueryPrimitive> | undefined;

export interface RequestOptions<S extends StandardSchemaV1 | undefined = undefined> {
  /** Query parameters; `undefined` values are dropped, arrays repeat the key. */
  query?: Record<string, QueryValue>;
  /** A JSON body. */
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Per attempt, in ms; overrides the client's. */
  timeout?: number;
  /** Any Standard Schema (zod, zod/mini, valibot, arktype): the result is validated and typed by it. */
  schema?: S;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** One call's state, shared by its attempts (a plain object: no closures on the hot path). */
interface Call<S> {
  /** The credential the call is sent with; undefined for a login or refresh (the transport's calls). */
  auth: Credentials | undefined;
  verb: string;
  url: string;
  headers: Record<string, string>;
  json: unknown;
  signal: AbortSignal | undefined;
  timeout: number;
  schema: S;
  /** The one 401 replay has been made. */
  replayed: boolean;
}

const MAX_TIMEOUT = 2_147_483_647;
const noop = (): void => undefined;
const always = (): boolean => true;
const isNode = typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function checkNumber(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ConfigurationError(`\`${name}\` must be a whole number from 0 to ${max}.`);
  }
  return value;
}

/** A header name as RFC 9110 allows it (a token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~\dA-Za-z-]+$/;
/** Characters no header value may carry: a line break would start a header of the caller's choosing. */
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

/**
 * The headers with lower-case names; `undefined` values dropped, others as strings. A bad name
 * or a value with a line break or NUL is a `ConfigurationError` naming the header, never its
 * value (it may be a secret), before anything is sent.
 */
function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers) {
    for (const [name, raw] of Object.entries(headers)) {
      if (raw === undefined) continue;
      const value = String(raw);
      if (!HEADER_NAME.test(name)) throw new ConfigurationError(`Header name ${JSON.stringify(name.slice(0, 64))} is not a valid HTTP header name.`);
      if (HEADER_VALUE_FORBIDDEN.test(value)) {
        throw new ConfigurationError(`Header "${name}" has a line break or NUL in its value: refused (it could inject headers).`);
      }
      out[name.toLowerCase()] = value;
    }
  }
  return out;
}

/**
 * An HTTP client for one Bearer-authenticated API: `new Client(apiKey, { baseURL })` or
 * `new Client({ baseURL, auth })`. One request pipeline: the credential strategy supplies the
 * token, a 401 is renewed and replayed once, 429/5xx/network errors follow the retry policy.
 */
export class Client {
  readonly baseURL: string;
  readonly maxRetries: number;
  readonly maxRetryDelay: number;
  readonly timeout: number;
  readonly #auth: Credentials | undefined;
  readonly #fetch: typeof globalThis.fetch | undefined;
  /** Headers every request sends, built once. */
  readonly #headers: Record<string, string>;
  /** `#headers` with the last token's `Authorization`, reused while the token stays the same. */
  #withToken: { token: string; headers: Record<string, string> } | undefined;
  /** How strategies log in and refresh: unauthenticated POSTs under `baseURL`, through the one retry loop. */
  readonly #transport: AuthTransport & { baseURL: string } = {
    baseURL: '',
    // Through the same attempt and retry loop as any POST: a 429 is waited out as its
    // `Retry-After` says (the server did not process it); a 5xx or a network error is final.
    post: (path, body) => {
      const url = this.#url(path, undefined);
      const call: Call<undefined> = {
        auth: undefined,
        verb: 'POST',
        url,
        headers: this.#headers,
        json: body,
        signal: undefined,
        timeout: this.timeout,
        schema: undefined,
        replayed: false,
      };
      return this.#attempt(call).catch((error: unknown) => this.#retry(call, error));
    },
  };

  constructor(apiKeyOrOptions: string | ClientOptions, maybeOptions: ClientOptions = {}) {
    const options: ClientOptions =
      typeof apiKeyOrOptions === 'string' ? { ...maybeOptions, auth: apiKeyOrOptions } : (apiKeyOrOptions ?? {});
    if (typeof options.baseURL !== 'string' || options.baseURL === '') {
      throw new ConfigurationError('`baseURL` is required, e.g. new Client(key, { baseURL: "https://api.example.com" }).');
    }
    let base: URL;
    try {
      base = new URL(options.baseURL);
    } catch {
      throw new ConfigurationError('`baseURL` is not a valid URL.');
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new ConfigurationError('`baseURL` must be an http(s) URL.');
    }
    if (base.search !== '' || base.hash !== '') {
      throw new ConfigurationError('`baseURL` must not have a query or a fragment.');
    }
    if (base.username !== '' || base.password !== '') {
      // fetch refuses such URLs; and the password would show in every error and in util.inspect.
      throw new ConfigurationError('`baseURL` must not contain a user name or password: pass credentials through `auth`.');
    }
    const auth = typeof options.auth === 'string' ? apiKey(options.auth) : options.auth;
    if (auth !== undefined && base.protocol === 'http:' && !isLoopback(base.hostname) && options.allowInsecureHttp !== true) {
      throw new ConfigurationError(
        `Refusing to send credentials over plain http to ${base.host}: use https, or set \`allowInsecureHttp: true\`.`,
      );
    }
    this.baseURL = base.href.replace(/\/+$/, '');
    this.#transport.baseURL = this.baseURL;
    this.maxRetries = checkNumber('maxRetries', options.maxRetries ?? 2, 100);
    this.maxRetryDelay = checkNumber('maxRetryDelay', options.maxRetryDelay ?? 60_000, MAX_TIMEOUT);
    this.timeout = checkNumber('timeout', options.timeout ?? 60_000, MAX_TIMEOUT);
    this.#auth = auth;
    this.#fetch = options.fetch;
    this.#headers = {
      accept: 'application/json',
      ...(isNode ? { 'user-agent': `bearerkit/${VERSION}` } : {}),
      ...lowerCaseKeys(options.headers),
    };
  }

  get<S extends StandardSchemaV1 | undefined = undefined>(path: string, options?: RequestOptions<S>): Promise<Output<S>> {
    return this.request('GET', path, options);
  }
  post<S extends StandardSchemaV1 | undefined = undefined>(path: string, options?: RequestOptions<S>): Promise<Output<S>> {
    return this.request('POST', path, options);
  }
  put<S extends StandardSchemaV1 | undefined = undefined>(path: string, options?: RequestOptions<S>): Promise<Output<S>> {
    return this.request('PUT', path, options);
  }
  patch<S extends StandardSchemaV1 | undefined = undefined>(path: string, options?: RequestOptions<S>): Promise<Output<S>> {
    return this.request('PATCH', path, options);
  }
  delete<S extends StandardSchemaV1 | undefined = undefined>(path: string, options?: RequestOptions<S>): Promise<Output<S>> {
    return this.request('DELETE', path, options);
  }

  /** The one request pipeline. Resolves to the (validated) JSON body, `undefined` for 204 or an empty body. */
  async request<S extends StandardSchemaV1 | undefined = undefined>(
    method: HttpMethod | Lowercase<HttpMethod>,
    path: string,
    options: RequestOptions<S> = {},
  ): Promise<Output<S>> {
    const verb = method.toUpperCase();
    const { signal, json } = options;
    const schema = options.schema as S;
    const url = this.#url(path, options.query);
    const timeout = options.timeout === undefined ? this.timeout : checkNumber('timeout', options.timeout, MAX_TIMEOUT);
    const headers = options.headers ? { ...this.#headers, ...lowerCaseKeys(options.headers) } : this.#headers;
    const call: Call<S> = { auth: this.#auth, verb, url, headers, json, signal, timeout, schema, replayed: false };
    try {
      if (signal?.aborted) throw new APIUserAbortError();
      let result: Output<S>;
      try {
        // The first attempt goes out directly (no extra promise on the hot path); p-retry is
        // entered only when it fails.
        result = await this.#attempt(call);
      } catch (error) {
        result = await this.#retry(call, error);
      }
      if (signal?.aborted) throw new APIUserAbortError();
      return result;
    } catch (error) {
      if (signal?.aborted && !(error instanceof APIUserAbortError)) throw new APIUserAbortError();
      if (error instanceof BearerkitError) throw error;
      throw new BearerkitError(`Unexpected error in ${verb} ${url}.`, { cause: error });
    }
  }

  /**
   * The one retry loop, entered after a failed first attempt: p-retry is handed that failure as
   * its own first attempt's (same accounting, same policy), then drives every retry.
   */
  #retry<S extends StandardSchemaV1 | undefined>(call: Call<S>, firstError: unknown): Promise<Output<S>> {
    let first: { error: unknown } | undefined = { error: firstError };
    const { verb, signal } = call;
    // Every p-retry option is given (the defaults spelled out): p-retry copies its options and
    // fills in the missing ones, and in V8 each fill-in on that copy is a new hidden class
    // (~20 µs a call in the profile); with all keys present the copy keeps one shape.
    return pRetry(
      () => {
        if (first === undefined) return this.#attempt(call);
        const { error } = first;
        first = undefined;
        throw error;
      },
      {
        retries: this.maxRetries,
        factor: 2,
        // The waits come from the retry policy (Retry-After or backoff), slept in shouldRetry.
        minTimeout: 0,
        maxTimeout: Number.POSITIVE_INFINITY,
        maxRetryTime: Number.POSITIVE_INFINITY,
        randomize: false,
        signal,
        onFailedAttempt: noop,
        shouldRetry: async ({ error, retriesConsumed }) => {
          const wait = retryDelay(error, verb, retriesConsumed, this.maxRetryDelay);
          if (wait === undefined) return false;
          await sleep(wait, signal);
          return true;
        },
        shouldConsumeRetry: always,
      },
    );
  }

  /** One attempt: the token, the request, and the one 401 renewal and replay of the call. */
  async #attempt<S extends StandardSchemaV1 | undefined>(call: Call<S>): Promise<Output<S>> {
    const { auth, verb, url, headers, json, signal, timeout, schema } = call;
    if (auth === undefined) {
      return this.#read(await this.#send(verb, url, headers, json, signal, timeout), verb, url, schema);
    }
    const current = auth.token(this.#transport);
    // A valid token is a string: no await, no async hop.
    const token = typeof current === 'string' ? current : await this.#final(current, signal);
    // A rate limit shared with other processes or tabs (a 429 one of them saw): a synchronous,
    // local read; the await only while a pause runs. Logins and refreshes never wait here.
    const notBefore = auth.notBefore?.() ?? 0;
    if (notBefore > 0 && notBefore > Date.now()) await this.#notBefore(auth, verb, url, signal);
    let response = await this.#send(verb, url, this.#authorized(headers, token), json, signal, timeout);
    if (response.status === 401 && !call.replayed) {
      call.replayed = true;
      const next = await this.#final(auth.renew(token, this.#transport), signal);
      if (next !== undefined && next !== token) {
        void response.body?.cancel().catch(() => undefined);
        response = await this.#send(verb, url, this.#authorized(headers, next), json, signal, timeout);
      }
    }
    if (response.status === 429 && auth.rateLimited !== undefined) {
      const wait = parseRetryAfter(response.headers);
      if (wait !== undefined) auth.rateLimited(Date.now() + wait);
    }
    return this.#read(response, verb, url, schema);
  }

  /**
   * `headers` plus `Authorization: Bearer <token>`. For the client's own headers the object is
   * built once per token and reused (ky copies it into a Headers; nothing mutates it).
   */
  #authorized(headers: Record<string, string>, token: string): Record<string, string> {
    if (headers !== this.#headers) return { ...headers, authorization: `Bearer ${token}` };
    const cached = this.#withToken;
    if (cached !== undefined && cached.token === token) return cached.headers;
    const built = { ...headers, authorization: `Bearer ${token}` };
    this.#withToken = { token, headers: built };
    return built;
  }

  /**
   * Wait until the strategy's shared "not before" time. One longer than `maxRetryDelay` is not
   * waited for: `RateLimitError` at once, as for a too long `Retry-After`.
   */
  async #notBefore(auth: Credentials, method: string, url: string, signal: AbortSignal | undefined): Promise<void> {
    for (let until = auth.notBefore?.() ?? 0; until > Date.now(); until = auth.notBefore?.() ?? 0) {
      const wait = until - Date.now();
      if (wait > this.maxRetryDelay) {
        const message = `Rate limited: another client of this credential was asked to wait ${Math.ceil(wait)} ms more`;
        throw new RateLimitError({ status: 429, message, headers: {}, body: undefined, method, url }, wait);
      }
      await sleep(wait, signal);
    }
  }

  /** Await a credential step; its failure is final (every waiter gets the same error, none is retried). */
  async #final<T>(step: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await abortable(step, signal);
    } catch (error) {
      throw error instanceof APIUserAbortError || typeof error !== 'object' || error === null ? error : markFinal(error);
    }
  }

  /** `path` under `baseURL`, with `query`. An absolute URL is refused: the token must not leave this API. */
  #url(path: string, query: RequestOptions['query']): string {
    if (typeof path !== 'string' || /^[a-z][a-z\d+.-]*:|^\/\//i.test(path)) {
      throw new ConfigurationError('`path` must be a path under baseURL, not an absolute URL.');
    }
    if (path.includes('#')) {
      // A fragment is never sent: the rest of the path and the query would silently go missing.
      throw new ConfigurationError('`path` must not contain "#": percent-encode it (encodeURIComponent) in an id.');
    }
    let url = this.baseURL + (path.startsWith('/') ? path : `/${path}`);
    if (query) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) {
        if (value === undefined) continue;
        if (Array.isArray(value)) for (const item of value) params.append(name, String(item));
        else params.append(name, String(value));
      }
      const search = params.toString();
      if (search !== '') url += (url.includes('?') ? '&' : '?') + search;
    }
    return url;
  }

  /** One HTTP attempt through ky (ky's own retry off: the one loop is `request`'s). */
  async #send(
    method: string,
    url: string,
    headers: Record<string, string>,
    json: unknown,
    signal: AbortSignal | undefined,
    timeout: number,
  ): Promise<Response> {
    // Only the keys that are set: ky merges its options key by key on every call.
    const init: KyOptions = { method, headers, timeout: timeout === 0 ? false : timeout, retry: 0, throwHttpErrors: false };
    if (json !== undefined) init.json = json;
    if (signal !== undefined) init.signal = signal;
    if (this.#fetch !== undefined) init.fetch = this.#fetch;
    try {
      return await ky(url, init);
    } catch (error) {
      if (signal?.aborted) throw new APIUserAbortError();
      // ky's errors hold the Request (and its Authorization header): keep only the low-level cause.
      if ((error as Error | undefined)?.name === 'TimeoutError') {
        throw new APIConnectionTimeoutError(`Request timed out after ${timeout} ms: ${method} ${url}`);
      }
      const cause = (error as { cause?: unknown } | undefined)?.cause;
      throw new APIConnectionError(`Connection error: ${method} ${url}`, cause === undefined ? undefined : { cause });
    }
  }

  /** Read a response: an error for non-2xx, undefined for no content, else JSON validated by `schema`. */
  async #read<S extends StandardSchemaV1 | undefined>(
    response: Response,
    method: string,
    url: string,
    schema: S,
  ): Promise<Output<S>> {
    let text: string;
    try {
      text = response.status === 204 ? '' : await response.text();
    } catch (error) {
      throw new APIConnectionError(`Connection lost while reading the response: ${method} ${url}`, { cause: error });
    }
    if (!response.ok) throw errorFromResponse(response, text, method, url);
    if (text === '') return undefined as Output<S>;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new ResponseValidationError(`Response from ${method} ${url} is not JSON (${response.status}, ${text.length} bytes).`, {
        issues: [{ message: 'not JSON' }],
        status: response.status,
        method,
        url,
      });
    }
    return (schema === undefined ? data : validate(schema, data, { status: response.status, method, url })) as Output<S>;
  }
}
