import * as z from 'zod/mini';

/** GET /api/user/profile: the documents name no fields; the usual ones are typed, any others kept. */
export const UserProfile = z.looseObject({
  id: z.optional(z.union([z.string(), z.number()])),
  email: z.optional(z.string()),
  username: z.optional(z.string()),
});
export type UserProfile = z.infer<typeof UserProfile>;

export const Company = z.looseObject({
  name: z.optional(z.string()),
  country: z.optional(z.string()),
  website: z.optional(z.nullable(z.string())),
  email: z.optional(z.nullable(z.string())),
});
export type Company = z.infer<typeof Company>;

/** GET /api/companies: `totalCount` is documented; the rows are kept as they come. */
export const CompanyList = z.looseObject({
  totalCount: z.number(),
  results: z.optional(z.array(Company)),
});
export type CompanyList = z.infer<typeof CompanyList>;

/** One row of GET /api/user/api-keys. */
export const ApiKey = z.looseObject({
  id: z.string(),
  token_key: z.string(),
  created: z.string(),
  expiry: z.nullable(z.string()),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyList = z.array(ApiKey);
export type ApiKeyList = z.infer<typeof ApiKeyList>;

/** POST /api/user/api-keys: the full key (`token`) is returned once. */
export const CreatedApiKey = z.looseObject({
  token: z.string(),
  api_key: ApiKey,
});
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

/** POST /api/auth/login. */
export const LoginResponse = z.looseObject({
  access: z.string(),
  refresh: z.string(),
  user: z.optional(z.looseObject({})),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

/** POST /api/token/refresh: `refresh` only when rotation is on. */
export const RefreshResponse = z.looseObject({
  access: z.string(),
  refresh: z.optional(z.string()),
});
export type RefreshResponse = z.infer<typeof RefreshResponse>;

/** The documented error body: `{"detail": "...", "code": "token_not_valid"}`. */
export const ErrorBody = z.looseObject({
  detail: z.string(),
  code: z.optional(z.string()),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
