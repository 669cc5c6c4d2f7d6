// Every entry through `import` (the ESM build, .js + .d.ts).
import * as core from 'bearerkit';
import * as spherescout from 'bearerkit/spherescout';
import * as scamverify from 'bearerkit/scamverify';
import * as openprospect from 'bearerkit/openprospect';
import * as testing from 'bearerkit/testing';
import * as redis from 'bearerkit/redis';
import * as browser from 'bearerkit/browser';
import scenario from './scenario.cjs';

const resolved = ['bearerkit', 'bearerkit/testing'].map((s) => import.meta.resolve(s));
if (!resolved.every((url) => url.includes('/node_modules/bearerkit/dist/') && url.endsWith('.js'))) {
  throw new Error(`import resolved outside the installed ESM build: ${resolved.join(', ')}`);
}
console.log(await scenario({ core, spherescout, scamverify, openprospect, testing, redis, browser }, 'import'));
