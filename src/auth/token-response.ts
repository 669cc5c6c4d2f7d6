import { ResponseValidationError } from '../errors.js';
import { isBearerToken } from './bearer-token.js';

/**
 * Read a login or refresh response: `accessField` must be a non-empty string; `refreshField`,
 * when `required`, too. An empty or missing optional refresh token reads as undefined (keep
 * the one we have). Anything else is a `ResponseValidationError` naming the field, never its value.
 */
export function readTokenResponse(
  body: unknown,
  path: string,
  accessField: string,
  refreshField?: { name: string; required: boolean },
): { access: string; refresh: string | undefined; raw: Record<string, unknown> } {
  const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const access = raw[accessField];
  const refresh = refreshField ? raw[refreshField.name] : undefined;
  const missing = !isBearerToken(access)
    ? accessField
    : refreshField?.required && (typeof refresh !== 'string' || refresh === '')
      ? refreshField.name
      : undefined;
  if (missing !== undefined) {
    throw new ResponseValidationError(`Token response from ${path} has no usable \`${missing}\` token.`, {
      issues: [{ message: 'expected a non-empty string of visible ASCII characters', path: [missing] }],
      status: 200,
      method: 'POST',
      url: path,
    });
  }
  return { access: access as string, refresh: typeof refresh === 'string' && refresh !== '' ? refresh : undefined, raw };
}
