/**
 * bearerkit/testing: stateful MSW handlers for SphereScout, ScamVerify, OpenProspect
 * and the session-login API, and `startMockServer()` serving them over HTTP on 127.0.0.1.
 */
export { MOCK_CREDENTIALS, type MockCredentials } from './credentials.js';
export { createMockApis, type MockApis, type MockOptions } from './handlers.js';
export { startMockServer, type MockServer, type MockServerOptions } from './mock-server.js';
export { OpenProspectMock, type OpenProspectMockOptions, type OpenProspectOrder } from './openprospect.js';
export { ScamVerifyMock, scamVerifyLookup, type ScamVerifyLookup, type ScamVerifyMockOptions } from './scamverify.js';
export { SessionMock, type SessionMockOptions } from './session.js';
export {
  SPHERESCOUT_COMPANIES,
  SphereScoutMock,
  type SphereScoutCompany,
  type SphereScoutMockOptions,
  type SphereScoutUser,
} from './spherescout.js';
export {
  MockApi,
  decodeJwtPayload,
  type FaultSpec,
  type LoggedRequest,
  type MockApiName,
  type MockStats,
} from './state.js';
