import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ResponseValidationError } from './errors.js';

export type { StandardSchemaV1 };

/** What a call resolves to: the schema's output type, or `unknown` without a schema. */
export type Output<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : unknown;

/** Validate `data` with any Standard Schema (zod, zod/mini, valibot, arktype); sync when the schema is. */
export function validate<S extends StandardSchemaV1>(
  schema: S,
  data: unknown,
  where: { status: number; method: string; url: string },
): StandardSchemaV1.InferOutput<S> | Promise<StandardSchemaV1.InferOutput<S>> {
  const result = schema['~standard'].validate(data);
  return result instanceof Promise ? result.then((r) => unwrap(r, where)) : unwrap(result, where);
}

function unwrap<T>(result: StandardSchemaV1.Result<T>, where: { status: number; method: string; url: string }): T {
  if (result.issues === undefined) return result.value;
  const first = result.issues[0];
  const at = first?.path?.length ? ` at ${first.path.map((p) => String(typeof p === 'object' ? p.key : p)).join('.')}` : '';
  throw new ResponseValidationError(
    `Response from ${where.method} ${where.url} does not match the schema${at}: ${first?.message ?? 'invalid'}`,
    { issues: result.issues, ...where },
  );
}
