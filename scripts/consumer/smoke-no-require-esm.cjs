// The client and store entries through `require` with require(esm) turned off, as on Node < 20.19 and
// 22.0-22.11, in Jest and in other CJS-only loaders: the CJS build must not require an ES module.
// (bearerkit/testing is `import`ed here: msw's own CJS build requires an ES module.)
'use strict';
const scenario = require('./scenario.cjs');

const [core, spherescout, scamverify, openprospect, redis, browser] = [
  'bearerkit',
  'bearerkit/spherescout',
  'bearerkit/scamverify',
  'bearerkit/openprospect',
  'bearerkit/redis',
  'bearerkit/browser',
].map((s) => require(s));
import('bearerkit/testing')
  .then((testing) => scenario({ core, spherescout, scamverify, openprospect, testing, redis, browser }, 'require, no require(esm)'))
  .then(console.log, (error) => {
    console.error(error);
    process.exitCode = 1;
  });
