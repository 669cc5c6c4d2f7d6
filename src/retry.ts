import { APIConnectionError, InternalServerError, RateLimitError } from './errors.js';
import { parseRetryAfter } from './retry-after.js';

/** Methods that may be sent again after a 5xx or a network error: the server may have acted on them once already, harmlessly. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRYABLE_5XX = new Set([502, 503, 504]);
const INITIAL_DELAY = 500;
const MAX_BACKOFF = 8_000;

/**
 * Errors that must reach the caller as they are, never retried: a failed renewal (every
 * waiter gets the same error) and anything the pipeline marks final.
 */
const finalErrors = new WeakSet<object>();
export function markFinal<E extends object>(error: E): E {
  finalErrors.add(error);
  return error;
}

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 8 s (and `cap`), each cut by up to 25%. */
export function backoff(retriesConsumed: number, cap: number): number {
  const delay = Math.min(INITIAL_DELAY * 2 ** retriesConsumed, MAX_BACKOFF, cap);
  return delay * (1 - Math.random() * 0.25);
}

/**
 * The one retry policy. The wait before retrying `error` (a request sent with `method`, after
 * `retriesConsumed` retries), or undefined when it must not be retried:
 * - 429, any method (the server did not process it): as `Retry-After` says, else backoff;
 * - 502/503/504 and connection errors (timeouts included), idempotent methods only; a 503's
 *   `Retry-After` is honoured too;
 * - a `Retry-After` longer than `maxRetryDelay` is not waited for: the error is thrown at once.
 */
export function retryDelay(error: unknown, method: string, retriesConsumed: number, maxRetryDelay: number): number | undefined {
  if (typeof error !== 'object' || error === null || finalErrors.has(error)) return undefined;
  if (error instanceof RateLimitError) {
    return serverDelay(error.retryAfter, retriesConsumed, maxRetryDelay);
  }
  if (!IDEMPOTENT.has(method)) return undefined;
  if (error instanceof InternalServerError && RETRYABLE_5XX.has(error.status)) {
    // The error keeps its headers as a record; read them back through Headers for the one parser.
    const retryAfter = error.status === 503 ? parseRetryAfter(new Headers(error.headers)) : undefined;
    return serverDelay(retryAfter, retriesConsumed, maxRetryDelay);
  }
  if (error instanceof APIConnectionError) return backoff(retriesConsumed, maxRetryDelay);
  return undefined;
}

function serverDelay(retryAfter: number | undefined, retriesConsumed: number, maxRetryDelay: number): number | undefined {
  if (retryAfter === undefined) return backoff(retriesConsumed, maxRetryDelay);
  return retryAfter > maxRetryDelay ? undefined : retryAfter;
}
