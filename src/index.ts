export { Client } from './client.js';
export type { ClientOptions, RequestOptions, HttpMethod, QueryValue, QueryPrimitive } from './client.js';
export { apiKey } from './auth/api-key.js';
export type { KeySource, ApiKeyOptions } from './auth/api-key.js';
export { jwt } from './auth/jwt.js';
export type { JwtOptions, TokenPair } from './auth/jwt.js';
export { session } from './auth/session.js';
export type { SessionOptions } from './auth/session.js';
export type { Credentials, AuthTransport } from './auth/credentials.js';
export type { ShareOptions } from './auth/sharing.js';
export { memoryStore } from './stores/memory.js';
export { CredentialStoreError } from './stores/types.js';
export type { CredentialStore, StoredCredential, LeaseOptions } from './stores/types.js';
export type { Output, StandardSchemaV1 } from './schema.js';
export {
  BearerkitError,
  ConfigurationError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  ScopeError,
  SubscriptionRequiredError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  ResponseValidationError,
} from './errors.js';
export { VERSION } from './version.js';
