import { ConfigurationError } from './errors.js';

/**
 * One path segment, percent-encoded: an id cannot change the path. `.`, `..` and the empty
 * string, which URL parsers resolve even when encoded, are refused before any request.
 */
export function pathSegment(value: string | number, name = 'id'): string {
  const text = String(value);
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new ConfigurationError(`\`${name}\` must be a string or a number.`);
  }
  if (text === '' || text === '.' || text === '..' || /^(%2e|\.){1,2}$/i.test(text)) {
    throw new ConfigurationError(`\`${name}\` must not be empty, "." or "..".`);
  }
  return encodeURIComponent(text);
}
