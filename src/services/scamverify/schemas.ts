import * as z from 'zod/mini';

/**
 * POST /api/v1/phone/lookup. The documents show the request only; the fields typed here are
 * optional and any others are kept, so a richer answer never breaks a caller.
 */
export const PhoneLookup = z.looseObject({
  phone_number: z.optional(z.string()),
  risk_score: z.optional(z.number()),
  verdict: z.optional(z.string()),
});
export type PhoneLookup = z.infer<typeof PhoneLookup>;

/** The documented error body: `{"error": "invalid_api_key", "message": "...", "status": 401}`. */
export const ErrorBody = z.looseObject({
  error: z.string(),
  message: z.string(),
  status: z.optional(z.number()),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
