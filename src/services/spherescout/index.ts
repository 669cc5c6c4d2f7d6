export { SphereScout, SPHERESCOUT_BASE_URL } from './client.js';
export type { SphereScoutOptions, CompanyQuery } from './client.js';
export * from './schemas.js';
