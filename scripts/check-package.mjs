#!/usr/bin/env node
// npm run check:package: lint what `npm pack` produces, not the source tree.
//   - the tarball holds every file `exports` names (ESM, CJS, .d.ts, .d.cts per entry) and no sources or tests;
//   - publint on the tarball: no error, warning or suggestion;
//   - @arethetypeswrong/cli on the tarball: every entry resolves, with types, under node16 (from ESM and
//     from CJS) and bundler. TypeScript's legacy `moduleResolution: node10` ignores `exports`, so it finds
//     subpath entries only through `typesVersions`: without that field the profile is `node16` (node10
//     shown, not required); with it, `strict` (node10 required too);
//   - the CJS build requires no ES-only package (it must not depend on require(esm));
//   - package.json: `sideEffects: false`, `type: module`, and `engines.node` matching the CI matrix.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { ENTRIES, PKG, ROOT, ensureBuilt, fail, log, pack, run, scratchDir } from './lib/common.mjs';

const ATTW_PROFILE = PKG.typesVersions ? 'strict' : 'node16';
const problems = [];
const check = (ok, message) => {
  if (!ok) problems.push(message);
  log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
};

ensureBuilt();
const dir = scratchDir('check-package');
const packed = pack(dir);
log(`packed ${packed.tarball} (${packed.files.length} files, ${(packed.size / 1000).toFixed(1)} kB packed, ${(packed.unpackedSize / 1000).toFixed(1)} kB unpacked)\n`);

// -- package.json fields
log('== package.json');
check(PKG.type === 'module', '"type": "module"');
check(PKG.sideEffects === false, '"sideEffects": false (bundlers may drop unused modules)');
const matrix = JSON.parse(readFileSync(join(ROOT, 'scripts/lib/node-matrix.json'), 'utf8')).node;
const lowest = Math.min(...matrix);
check(
  PKG.engines?.node === `>=${lowest}`,
  `"engines.node" is ">=${lowest}", the lowest Node CI tests (matrix: ${matrix.join(', ')}); found ${JSON.stringify(PKG.engines?.node)}`,
);

// -- tarball contents
log('\n== tarball contents');
const files = new Set(packed.files);
const targets = [];
const collect = (value) => {
  if (typeof value === 'string') targets.push(value.replace(/^\.\//, ''));
  else if (value && typeof value === 'object') Object.values(value).forEach(collect);
};
collect(PKG.exports);
collect([PKG.main, PKG.module, PKG.types]);
const missing = [...new Set(targets)].filter((t) => !files.has(t));
check(missing.length === 0, `every file package.json points at is packed${missing.length ? `; missing: ${missing.join(', ')}` : ''}`);
for (const { specifier } of ENTRIES) {
  const key = specifier === 'bearerkit' ? '.' : `./${specifier.slice('bearerkit/'.length)}`;
  const entry = PKG.exports[key];
  const shape =
    entry?.import?.types?.endsWith('.d.ts') &&
    entry?.import?.default?.endsWith('.js') &&
    entry?.require?.types?.endsWith('.d.cts') &&
    entry?.require?.default?.endsWith('.cjs') &&
    Object.keys(entry.import)[0] === 'types' &&
    Object.keys(entry.require)[0] === 'types';
  check(Boolean(shape), `exports["${key}"]: import -> types .d.ts + .js, require -> types .d.cts + .cjs, "types" first`);
}
const stray = packed.files.filter((f) => !/^(dist\/|README\.md$|CHANGELOG\.md$|LICENSE|package\.json$)/.test(f));
check(stray.length === 0, `nothing but dist/, README, CHANGELOG and package.json is packed${stray.length ? `; also: ${stray.join(', ')}` : ''}`);

// -- the CJS build requires only packages that ship CommonJS (ESM-only ky and p-retry are bundled
// into it by tsup.config.ts), so `require('bearerkit')` does not depend on require(esm).
log('\n== CJS build: what it requires');
const unpacked = join(dir, 'unpacked');
mkdirSync(unpacked);
run('tar', ['-xzf', packed.tarball, '-C', unpacked], { capture: true });
const requires = new Map();
for (const file of packed.files.filter((f) => f.endsWith('.cjs'))) {
  const code = readFileSync(join(unpacked, 'package', file), 'utf8');
  for (const [, spec] of code.matchAll(/\brequire\(\s*["']([^"'.][^"']*)["']\s*\)/g)) {
    if (!requires.has(spec)) requires.set(spec, new Set());
    requires.get(spec).add(file.replace('dist/', ''));
  }
}
for (const [spec, from] of [...requires.entries()].sort()) {
  const format = requireFormat(spec);
  check(format === 'cjs', `require('${spec}') -> ${format} (from ${[...from].sort().join(', ')})`);
}

/** What `require(spec)` loads from the installed dependency, without require(esm): 'cjs', 'esm', or why not. */
function requireFormat(spec) {
  if (spec.startsWith('node:')) return 'cjs';
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
  } catch {
    return 'not installed';
  }
  const pick = (target) => {
    if (typeof target === 'string' || target === null) return target;
    if (Array.isArray(target)) return pick(target[0]);
    for (const [condition, value] of Object.entries(target)) {
      if (['require', 'node', 'default'].includes(condition)) {
        const found = pick(value);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  const subpath = `.${spec.slice(name.length)}`;
  const exportsMap = typeof pkg.exports === 'object' && pkg.exports !== null && Object.keys(pkg.exports)[0]?.startsWith('.') ? pkg.exports : { '.': pkg.exports };
  const file = pkg.exports === undefined ? (subpath === '.' ? pkg.main ?? 'index.js' : subpath) : pick(exportsMap[subpath]);
  if (typeof file !== 'string') return 'no require export';
  if (file.endsWith('.cjs')) return 'cjs';
  if (file.endsWith('.mjs')) return 'esm';
  return pkg.type === 'module' ? 'esm' : 'cjs';
}

// -- publint
log('\n== publint (on the tarball, strict, every level)');
const tarball = readFileSync(packed.tarball);
const lint = await publint({
  pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
  level: 'suggestion',
  strict: true,
});
for (const message of lint.messages) log(`  ${message.type}: ${formatMessage(message, lint.pkg)}`);
check(lint.messages.length === 0, `publint: ${lint.messages.length} message(s)`);

// -- are the types wrong
log(`\n== @arethetypeswrong/cli (on the tarball, profile ${ATTW_PROFILE})`);
const attw = run(
  join(ROOT, 'node_modules/.bin/attw'),
  [packed.tarball, '--profile', ATTW_PROFILE, '--format', 'table-flipped', '--no-emoji', '--no-color'],
  { capture: true, allowFailure: true },
);
log((attw.stdout + attw.stderr).trim().replace(/^/gm, '  '));
check(
  attw.status === 0,
  `attw: every entry resolves with types under node16 (ESM and CJS) and bundler${ATTW_PROFILE === 'strict' ? ' and node10' : ''} (exit ${attw.status})`,
);

if (problems.length > 0) fail(`check:package:\n  - ${problems.join('\n  - ')}`);
log('\ncheck:package: ok');
