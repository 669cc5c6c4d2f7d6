import type { StandardSchemaV1 } from '@standard-schema/spec';
import { statusText } from './http-status.js';
import { parseRetryAfter } from './retry-after.js';

/** Every error bearerkit throws extends this one, so `catch (e) { if (e instanceof BearerkitError) … }` catches them all. */
export class BearerkitError extends Error {
  override name = 'BearerkitError';
}

/** Bad options: no baseURL, a malformed key, a test key sent to production, credentials over plain http. */
export class ConfigurationError extends BearerkitError {
  override name = 'ConfigurationError';
}

export interface APIErrorInit {
  status: number;
  message: string;
  code?: string | undefined;
  headers: Record<string, string>;
  body: unknown;
  method: string;
  url: string;
}

/** An HTTP response that was not a success. */
export class APIError extends BearerkitError {
  override name = 'APIError';
  readonly status: number;
  /** The API's own error code, when its error body named one (`token_not_valid`, `invalid_api_key`, `AUTHORIZATION_ERROR`…). */
  readonly code: string | undefined;
  /** Response headers (lower-case names; any `authorization` value redacted). */
  readonly headers: Record<string, string>;
  /** The parsed error body (JSON), or its text cut short. */
  readonly body: unknown;
  readonly method: string;
  readonly url: string;
  /** The `x-request-id` response header, when the server sent one. */
  readonly requestID: string | undefined;

  constructor(init: APIErrorInit) {
    super(`${init.status} ${init.message}`);
    this.status = init.status;
    this.code = init.code;
    this.headers = init.headers;
    this.body = init.body;
    this.method = init.method;
    this.url = init.url;
    this.requestID = init.headers['x-request-id'];
  }
}

export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError';
}
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}
export class SubscriptionRequiredError extends PermissionDeniedError {
  override name = 'SubscriptionRequiredError';
}

/** A 403 that names the scopes the call needs. */
export class ScopeError extends PermissionDeniedError {
  override name = 'ScopeError';
  readonly requiredScopes: string[];
  readonly grantedScopes: string[];
  readonly missingScopes: string[];

  constructor(init: APIErrorInit, requiredScopes: string[], grantedScopes: string[]) {
    super(init);
    this.requiredScopes = requiredScopes;
    this.grantedScopes = grantedScopes;
    this.missingScopes = requiredScopes.filter((scope) => !grantedScopes.includes(scope));
  }
}

/** A 429 that outlasted the retries, or whose `Retry-After` is longer than `maxRetryDelay`. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
  /** How long the server asked to wait, in ms, when it said. */
  readonly retryAfter: number | undefined;

  constructor(init: APIErrorInit, retryAfter: number | undefined) {
    super(init);
    this.retryAfter = retryAfter;
  }
}

/** No response: the connection failed. */
export class APIConnectionError extends BearerkitError {
  override name = 'APIConnectionError';
  constructor(message = 'Connection error.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The per-attempt `timeout` ran out before the server answered. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError';
  constructor(message = 'Request timed out.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The caller's `signal` aborted the call. */
export class APIUserAbortError extends BearerkitError {
  override name = 'APIUserAbortError';
  constructor(message = 'Request was aborted.') {
    super(message);
  }
}

/** A 2xx body that the `schema` rejected, or that is not JSON. */
export class ResponseValidationError extends BearerkitError {
  override name = 'ResponseValidationError';
  readonly issues: ReadonlyArray<StandardSchemaV1.Issue>;
  readonly status: number;
  readonly method: string;
  readonly url: string;

  constructor(
    message: string,
    init: { issues: ResponseValidationError['issues']; status: number; method: string; url: string },
  ) {
    super(message);
    this.issues = init.issues;
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
  }
}

const BODY_TEXT_LIMIT = 500;

/** What an error body says, read from each documented envelope. */
interface Envelope {
  message?: string | undefined;
  code?: string | undefined;
  requiredScopes?: string[] | undefined;
  grantedScopes?: string[] | undefined;
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const asStrings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;

function readEnvelope(body: unknown): Envelope {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const detail = typeof b.detail === 'object' && b.detail !== null ? (b.detail as Record<string, unknown>) : undefined;
  return {
    // SphereScout: {detail, code}; ScamVerify: {error, message, status}; OpenProspect: {code, message, detail: {...}}
    message: asString(b.message) ?? asString(b.detail) ?? asString(b.error_description),
    code: asString(b.code) ?? asString(b.error),
    requiredScopes: asStrings(detail?.required_scopes) ?? asStrings(b.required_scopes),
    grantedScopes: asStrings(detail?.user_scopes) ?? asStrings(b.user_scopes),
  };
}

/** RFC 6750: `WWW-Authenticate: Bearer error="insufficient_scope", scope="a b"`. */
function bearerChallengeScopes(header: string | undefined): string[] | undefined {
  if (!header || !/error\s*=\s*"?insufficient_scope"?/i.test(header)) return undefined;
  const scope = /scope\s*=\s*"([^"]*)"/i.exec(header)?.[1];
  return scope === undefined ? [] : scope.split(/\s+/).filter(Boolean);
}

/** Response headers as a plain object, with any credential-bearing header redacted. */
export function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = name === 'authorization' || name === 'proxy-authorization' || name === 'set-cookie' ? '[redacted]' : value;
  });
  return out;
}

/** Error bodies larger than this are not parsed: an error keeps only their first characters. */
const BODY_PARSE_LIMIT = 64 * 1024;

/** Parse an error body: JSON when it is JSON (and not huge), else its text cut short. */
export function parseErrorBody(text: string): unknown {
  if (text === '') return undefined;
  if (text.length > BODY_PARSE_LIMIT) return `${text.slice(0, BODY_TEXT_LIMIT)}… (${text.length} characters)`;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > BODY_TEXT_LIMIT ? `${text.slice(0, BODY_TEXT_LIMIT)}…` : text;
  }
}

/** The one mapping from a non-2xx response (already read) to an error class. */
export function errorFromResponse(
  response: { status: number; headers: Headers },
  bodyText: string,
  method: string,
  url: string,
): APIError {
  const body = parseErrorBody(bodyText);
  const envelope = readEnvelope(body);
  const status = response.status;
  const headers = headersToRecord(response.headers);
  const message = (envelope.message ?? statusText(status)).slice(0, BODY_TEXT_LIMIT);
  const init: APIErrorInit = { status, message, code: envelope.code, headers, body, method, url };

  switch (status) {
    case 400:
      return new BadRequestError(init);
    case 401:
      return new AuthenticationError(init);
    case 403: {
      // The header's scopes win when it names some; a bare insufficient_scope defers to the body.
      const challenged = bearerChallengeScopes(headers['www-authenticate']);
      const required = challenged?.length ? challenged : envelope.requiredScopes;
      if (required && required.length > 0) return new ScopeError(init, required, envelope.grantedScopes ?? []);
      if (envelope.code === 'subscription_required') return new SubscriptionRequiredError(init);
      return new PermissionDeniedError(init);
    }
    case 404:
      return new NotFoundError(init);
    case 409:
      return new ConflictError(init);
    case 422:
      return new UnprocessableEntityError(init);
    case 429:
      return new RateLimitError(init, parseRetryAfter(response.headers));
    default:
      return status >= 500 ? new InternalServerError(init) : new APIError(init);
  }
}
