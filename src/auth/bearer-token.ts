/**
 * True when `value` can be sent as `Authorization: Bearer <value>`: visible ASCII only (RFC 6750's
 * b64token and the API keys in use are all within it), so no whitespace, line break or control
 * character can split the header.
 */
export function isBearerToken(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21-\x7e]+$/.test(value);
}
