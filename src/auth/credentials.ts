/**
 * What a credential strategy may ask of the client: POST a JSON body to a path under the
 * client's `baseURL`, without `Authorization`. A 429 is waited out as its `Retry-After` says and
 * sent again (within `maxRetries` and `maxRetryDelay`); a 5xx or a network error is not resent.
 * Resolves to the parsed JSON body; rejects with the mapped `APIError` (`AuthenticationError`
 * for a 401, …).
 */
export interface AuthTransport {
  post(path: string, body: unknown): Promise<unknown>;
  /** The client's `baseURL` (a shared credential's default store key is derived from it). */
  readonly baseURL?: string;
}

/**
 * A credential strategy. Implement it to bring your own (see examples/custom-credentials.ts).
 *
 * The client asks `token()` before every attempt and `renew()` once after a 401.
 */
export interface Credentials {
  /**
   * The bearer token for the next request. Return a string when a valid one is at hand (no
   * async hop on the hot path), a promise when it must first be obtained or renewed.
   */
  token(auth: AuthTransport): string | Promise<string>;
  /**
   * A request sent with `rejected` was answered 401. Resolve to the token to replay it with:
   * a renewed one, or the current one when it has already replaced `rejected` (no second
   * renewal). Resolve `undefined` when there is nothing new to try; the 401 then stands.
   * Concurrent calls must share one renewal; a failed renewal rejects all of them alike.
   */
  renew(rejected: string, auth: AuthTransport): Promise<string | undefined>;
  /**
   * Optional: epoch ms before which no request may be sent with this credential (a rate limit
   * shared with other processes or tabs); 0 when there is none. Asked before every attempt, so
   * it must be synchronous and cheap: a locally cached time, never a store round trip.
   */
  notBefore?(): number;
  /**
   * Optional: a request sent with this credential was answered 429 with a `Retry-After`:
   * nothing should be sent with it before `until` (epoch ms). Called by the client; a shared
   * strategy passes it on to every process or tab sharing the credential.
   */
  rateLimited?(until: number): void;
}
