export { OpenProspect, OPENPROSPECT_BASE_URL, OPENPROSPECT_KEY_PREFIXES } from './client.js';
export type { OpenProspectOptions } from './client.js';
export * from './schemas.js';
