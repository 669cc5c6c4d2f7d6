// Runs in a project that installed the packed tarball, once with the entries `import`ed
// (smoke.mjs) and once `require`d (smoke.cjs, smoke-no-require-esm.cjs). `m` holds the seven entries.
'use strict';
const assert = require('node:assert/strict');

const EXPORTS = {
  core: [
    'Client', 'apiKey', 'jwt', 'session', 'VERSION', 'BearerkitError', 'ConfigurationError', 'APIError',
    'BadRequestError', 'AuthenticationError', 'PermissionDeniedError', 'ScopeError', 'SubscriptionRequiredError',
    'NotFoundError', 'ConflictError', 'UnprocessableEntityError', 'RateLimitError', 'InternalServerError',
    'APIConnectionError', 'APIConnectionTimeoutError', 'APIUserAbortError', 'ResponseValidationError',
  ],
  spherescout: ['SphereScout'],
  scamverify: ['ScamVerify'],
  openprospect: ['OpenProspect', 'OrderList', 'Order'],
  testing: ['startMockServer', 'createMockApis', 'MOCK_CREDENTIALS'],
  redis: ['redisStore', 'CredentialStoreError'],
  browser: ['browserStore', 'CredentialStoreError'],
};

module.exports = async function scenario(m, label) {
  for (const [entry, names] of Object.entries(EXPORTS)) {
    for (const name of names) assert.notEqual(m[entry][name], undefined, `${label}: ${entry} exports ${name}`);
  }
  // The store entries share the core's error class (one copy of it, whichever entry you import).
  for (const entry of ['redis', 'browser']) {
    assert.equal(m[entry].CredentialStoreError, m.core.CredentialStoreError, `${label}: ${entry}'s CredentialStoreError is the core's`);
  }
  const { Client, ScopeError, PermissionDeniedError, APIError, VERSION } = m.core;
  const { MOCK_CREDENTIALS: creds, startMockServer } = m.testing;
  const mock = await startMockServer();
  try {
    // A static API key (core entry).
    const client = new Client(creds.spherescout.apiKey, { baseURL: mock.urls.spherescout });
    assert.equal((await client.get('/api/user/profile')).email, creds.spherescout.username);

    // JWT login, expiry, one refresh (spherescout entry).
    const ss = new m.spherescout.SphereScout({
      username: creds.spherescout.username,
      password: creds.spherescout.password,
      baseURL: mock.urls.spherescout,
    });
    await ss.user.profile();
    mock.apis.spherescout.expireAccessTokens();
    await ss.user.profile();
    assert.deepEqual([mock.apis.spherescout.stats.logins, mock.apis.spherescout.stats.refreshes], [1, 1]);

    // A 429 waited out as Retry-After says (scamverify entry).
    const sv = new m.scamverify.ScamVerify(creds.scamverify.testKey, { baseURL: mock.urls.scamverify });
    mock.apis.scamverify.failNext(1, { status: 429, headers: { 'Retry-After': '1' } });
    const started = Date.now();
    assert.equal((await sv.phone.lookup({ phone_number: '+12025551234' })).test_mode, true);
    assert.ok(Date.now() - started >= 950, `${label}: waited ${Date.now() - started} ms for Retry-After: 1`);

    // A ScopeError from the openprospect entry is the core entry's class: one shared chunk.
    const op = new m.openprospect.OpenProspect(creds.openprospect.readOnlyKey, { baseURL: mock.urls.openprospect });
    const error = await op.orders
      .create({ title: 'Q1', features: ['CONTACTS'], companies: [{ company_name: 'Example Corp' }] })
      .then(() => undefined, (e) => e);
    assert.ok(error instanceof ScopeError && error instanceof PermissionDeniedError && error instanceof APIError, `${label}: ScopeError`);
    assert.deepEqual(error.missingScopes, ['orders:write']);
  } finally {
    await mock.close();
  }
  return `${label}: ${Object.values(EXPORTS).flat().length} exports present; apiKey, jwt refresh, Retry-After, ScopeError ok (bearerkit ${VERSION}, Node ${process.version})`;
};
