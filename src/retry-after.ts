/**
 * How long the server asked us to wait, in ms: `retry-after-ms` (wins when present), else
 * `Retry-After` as delta-seconds or an HTTP-date. Undefined when absent or unreadable
 * (negative, not a number, not a date); a date in the past means 0.
 */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null) {
    const value = Number(ms);
    if (ms.trim() !== '' && Number.isFinite(value) && value >= 0) return value;
  }
  const header = headers.get('retry-after');
  if (header === null || header.trim() === '') return undefined;
  // Anything number-like is delta-seconds (never a date): a negative or unbounded one is unreadable.
  if (/^\s*[-+]?[\d.e]+\s*$/i.test(header)) {
    const seconds = Number(header);
    return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
  }
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
