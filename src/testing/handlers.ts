/**
 * `createMockApis()`: the four stateful mocks together, with one handler list for msw.
 */
import type { HttpHandler } from 'msw';
import { OpenProspectMock } from './openprospect.js';
import { ScamVerifyMock } from './scamverify.js';
import { SessionMock } from './session.js';
import { SphereScoutMock } from './spherescout.js';
import type { MockApiName } from './state.js';

export interface MockOptions {
  /** Base URL per API; defaults are the documented ones (session: `https://session.bearerkit.test`). */
  baseURLs?: Partial<Record<MockApiName, string>>;
  /** SphereScout access token lifetime. Default 300_000 ms. */
  accessTokenLifetimeMs?: number;
  /** Session API `expires_in`. Default 7200 s. */
  sessionTokenLifetimeSec?: number;
  /** SphereScout refresh token rotation. Default true. */
  rotateRefreshTokens?: boolean;
}

export interface MockApis {
  spherescout: SphereScoutMock;
  scamverify: ScamVerifyMock;
  openprospect: OpenProspectMock;
  session: SessionMock;
  /** The handlers of all four APIs: `setupServer(...apis.handlers)`. */
  handlers: HttpHandler[];
  /** `reset()` on all four. */
  reset(): void;
}

export function createMockApis(options: MockOptions = {}): MockApis {
  const urls = options.baseURLs ?? {};
  const spherescout = new SphereScoutMock({
    baseURL: urls.spherescout,
    accessTokenLifetimeMs: options.accessTokenLifetimeMs,
    rotateRefreshTokens: options.rotateRefreshTokens,
  });
  const scamverify = new ScamVerifyMock({ baseURL: urls.scamverify });
  const openprospect = new OpenProspectMock({ baseURL: urls.openprospect });
  const session = new SessionMock({ baseURL: urls.session, tokenLifetimeSec: options.sessionTokenLifetimeSec });
  const all = [spherescout, scamverify, openprospect, session] as const;
  return {
    spherescout,
    scamverify,
    openprospect,
    session,
    handlers: all.flatMap((api) => api.handlers),
    reset() {
      for (const api of all) api.reset();
    },
  };
}
