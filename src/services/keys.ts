import { apiKey } from '../auth/api-key.js';
import type { Credentials } from '../auth/credentials.js';
import type { ClientOptions } from '../client.js';
import { ConfigurationError } from '../errors.js';
import type { CredentialStore } from '../stores/types.js';

/** Every `Client` option but `auth`, and a `store` to share the credential (its renewal and rate limit). */
export type ServiceOptions = Omit<ClientOptions, 'auth'> & {
  /** Share the credential's renewal and rate limit: `memoryStore()`, `redisStore()`, `browserStore()`. */
  store?: CredentialStore | undefined;
};

/** A checked key as a client's `auth`: the string itself, or, with a store, `apiKey(key, { store })`. */
export function keyAuth(key: string, store: CredentialStore | undefined): string | Credentials {
  return store === undefined ? key : apiKey(key, { store });
}

/**
 * Check an API key's form before any request: one of `prefixes` (none: format unknown), then URL-safe characters
 * only (no whitespace, no line break). Lenient on length: the documents' own example keys do
 * not match their stated lengths. The error shows only the key's prefix, never the key.
 */
export function checkKey(service: string, key: unknown, prefixes: readonly string[]): string {
  if (typeof key !== 'string' || key === '') {
    const form = prefixes.length > 0 ? ` (a string starting with ${prefixes.join(' or ')})` : '';
    throw new ConfigurationError(`${service}: an API key is required${form}.`);
  }
  // A service that documents no key format: refuse only what cannot be a header value.
  if (prefixes.length === 0) {
    if (/[\s\u0000-\u001f\u007f]/.test(key)) {
      throw new ConfigurationError(`${service}: the API key contains whitespace, a line break or a control character.`);
    }
    return key;
  }
  const prefix = prefixes.find((p) => key.startsWith(p));
  if (prefix === undefined) {
    throw new ConfigurationError(
      `${service}: the API key must start with ${prefixes.join(' or ')} (it starts with "${shownPrefix(key)}").`,
    );
  }
  const rest = key.slice(prefix.length);
  if (/\s/.test(key)) {
    throw new ConfigurationError(`${service}: the ${prefix}… key contains whitespace or a line break.`);
  }
  if (rest === '' || !/^[A-Za-z0-9_-]+$/.test(rest)) {
    throw new ConfigurationError(`${service}: the ${prefix}… key has characters other than letters, digits, "_" and "-".`);
  }
  return key;
}

/**
 * What of a wrong key may be shown: its part up to the first "_", when that part is short
 * (at most 9 characters) and the key is at least three times longer; otherwise nothing.
 */
function shownPrefix(key: string): string {
  const cut = key.indexOf('_');
  return cut > 0 && cut < 9 && key.length >= 3 * (cut + 1) ? `${key.slice(0, cut + 1)}…` : '…';
}
