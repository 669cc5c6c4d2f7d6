export { ScamVerify, SCAMVERIFY_BASE_URL, SCAMVERIFY_KEY_PREFIXES } from './client.js';
export type { ScamVerifyOptions } from './client.js';
export * from './schemas.js';
