#!/usr/bin/env node
// npm run test:consumer: install the packed tarball into a fresh project outside the repository
// (as a user does: `npm install bearerkit-x.y.z.tgz msw`), then
//   - type-check scripts/consumer/usage.ts with TypeScript `moduleResolution: bundler` (usage.ts)
//     and `node16` (usage.mts through the `import` types, usage.cts through the `require` types);
//   - import every entry (`import`, smoke.mjs) and require every entry (`require`, smoke.cjs), and
//     run the same scenario against startMockServer() with each;
//   - require the client entries with require(esm) turned off (smoke-no-require-esm.cjs), when this
//     Node has the switch: the CJS build must not need it.
// Runs under whichever `node` runs it (scripts/node-matrix.sh runs it on every CI Node).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, ensureBuilt, fail, log, pack, run } from './lib/common.mjs';

const keep = process.argv.includes('--keep');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const FIXTURES = join(ROOT, 'scripts', 'consumer');

const dir = mkdtempSync(join(tmpdir(), 'bearerkit-consumer-'));
let failure;
try {
  ensureBuilt();
  const { tarball } = pack(join(dir, 'tarball'));
  const project = join(dir, 'app');
  const mswVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/msw/package.json'), 'utf8')).version;
  log(`consumer project: ${project} (Node ${process.version})`);
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'bearerkit-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  log(`npm install <tarball> msw@${mswVersion}`);
  run(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--loglevel=error', tarball, `msw@${mswVersion}`], {
    cwd: project,
    capture: true,
  });

  for (const file of ['scenario.cjs', 'smoke.mjs', 'smoke.cjs', 'smoke-no-require-esm.cjs']) {
    copyFileSync(join(FIXTURES, file), join(project, file));
  }
  for (const ext of ['ts', 'mts', 'cts']) copyFileSync(join(FIXTURES, 'usage.ts'), join(project, `usage.${ext}`));
  const compilerOptions = {
    target: 'ES2022',
    lib: ['ES2022', 'DOM'],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
  };
  const configs = {
    bundler: { compilerOptions: { ...compilerOptions, module: 'ESNext', moduleResolution: 'Bundler' }, files: ['usage.ts'] },
    node16: { compilerOptions: { ...compilerOptions, module: 'Node16', moduleResolution: 'Node16' }, files: ['usage.mts', 'usage.cts'] },
  };
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const tsVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/typescript/package.json'), 'utf8')).version;
  for (const [name, config] of Object.entries(configs)) {
    writeFileSync(join(project, `tsconfig.${name}.json`), `${JSON.stringify(config, null, 2)}\n`);
    const result = run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`, '--listFiles'], { cwd: project, capture: true, allowFailure: true });
    // skipLibCheck is off, so bearerkit's own declarations are checked too. An error inside another
    // package's declarations (msw's CJS types import an ES-only package) is that package's: noted.
    const diagnostics = `${result.stdout}${result.stderr}`.split('\n').filter((line) => /\(\d+,\d+\): error TS/.test(line));
    const theirs = diagnostics.filter((line) => line.startsWith('node_modules/') && !line.startsWith('node_modules/bearerkit/'));
    const ours = diagnostics.filter((line) => !theirs.includes(line));
    if (ours.length > 0 || (result.status !== 0 && diagnostics.length === 0)) {
      throw new Error(`TypeScript (${name}) failed:\n${(ours.length > 0 ? ours : [result.stdout, result.stderr]).join('\n')}`);
    }
    for (const line of theirs) log(`note tsc ${name}, not bearerkit's: ${line}`);
    const declarations = result.stdout
      .split('\n')
      .filter((f) => f.includes('/node_modules/bearerkit/dist/') && /\.d\.c?ts$/.test(f))
      .map((f) => f.slice(f.indexOf('dist/') + 5));
    const wanted = name === 'bundler' ? ['index.d.ts', 'testing.d.ts'] : ['index.d.ts', 'index.d.cts', 'testing.d.ts', 'testing.d.cts'];
    const missing = wanted.filter((w) => !declarations.includes(w));
    if (missing.length > 0) throw new Error(`TypeScript (${name}) did not read ${missing.join(', ')} (read: ${declarations.join(', ')})`);
    log(`ok   tsc ${tsVersion} moduleResolution ${name}: ${config.files.join(' + ')} type-check (reads ${declarations.sort().join(', ')})`);
  }

  const node = (args) => {
    const result = run(process.execPath, args, { cwd: project, capture: true, allowFailure: true });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
    return result.stdout.trim();
  };
  log(`ok   ${node(['smoke.mjs'])}`);
  log(`ok   ${node(['smoke.cjs'])}`);
  if (process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module')) {
    log(`ok   ${node(['--no-experimental-require-module', 'smoke-no-require-esm.cjs'])}`);
  } else {
    log(`skip require with require(esm) off: Node ${process.version} has no --no-experimental-require-module`);
  }
  log('\nconsumer test: ok');
} catch (error) {
  failure = error;
} finally {
  if (keep) log(`(kept ${dir})`);
  else rmSync(dir, { recursive: true, force: true });
}
if (failure) fail(`consumer test (Node ${process.version}): ${failure.message}`);
