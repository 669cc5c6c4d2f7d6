// Every entry through `require` (the CJS build, .cjs + .d.cts).
'use strict';
const scenario = require('./scenario.cjs');

const entries = ['bearerkit', 'bearerkit/spherescout', 'bearerkit/scamverify', 'bearerkit/openprospect', 'bearerkit/testing', 'bearerkit/redis', 'bearerkit/browser'];
for (const s of entries) {
  const file = require.resolve(s);
  if (!/[\\/]node_modules[\\/]bearerkit[\\/]dist[\\/].+\.cjs$/.test(file)) throw new Error(`require('${s}') resolved to ${file}`);
}
const [core, spherescout, scamverify, openprospect, testing, redis, browser] = entries.map((s) => require(s));
scenario({ core, spherescout, scamverify, openprospect, testing, redis, browser }, 'require').then(console.log, (error) => {
  console.error(error);
  process.exitCode = 1;
});
