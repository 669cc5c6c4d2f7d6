// Shared by the packaging, consumer, browser and size scripts: build when needed, `npm pack`,
// unpack the tarball where bundlers and Node can resolve it, and the Node-only-module guard.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/**
 * Every entry: its import specifier, its dist file stem, and whether it is meant for browsers
 * (`bearerkit/redis` drives an ioredis client, so it is Node only and not bundled for a page).
 */
export const ENTRIES = [
  { specifier: 'bearerkit', file: 'index', browser: true },
  { specifier: 'bearerkit/spherescout', file: 'spherescout', browser: true },
  { specifier: 'bearerkit/scamverify', file: 'scamverify', browser: true },
  { specifier: 'bearerkit/openprospect', file: 'openprospect', browser: true },
  { specifier: 'bearerkit/testing', file: 'testing', browser: true },
  { specifier: 'bearerkit/redis', file: 'redis', browser: false },
  { specifier: 'bearerkit/browser', file: 'browser', browser: true },
];

/**
 * Node-only imports allowed in a browser bundle, as a dynamic `import()` only: `bearerkit/testing`
 * loads its HTTP server lazily, inside `startMockServer()` (tsup writes `node:http` as `http`).
 */
export const LAZY_NODE_IMPORTS = { 'bearerkit/testing': ['node:http', 'http'] };

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export function log(message) {
  process.stdout.write(`${message}\n`);
}

export function fail(message) {
  process.stderr.write(`\nFAIL: ${message}\n`);
  process.exit(1);
}

/** Run a command; throws with its output when it fails. `capture` returns stdout instead of streaming it. */
export function run(command, args, { cwd = ROOT, capture = false, env, allowFailure = false } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env: env ?? process.env,
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0 && !allowFailure) {
    const output = capture ? `\n${result.stdout ?? ''}${result.stderr ?? ''}` : '';
    throw new Error(`\`${command} ${args.join(' ')}\` exited with ${result.status}${output}`);
  }
  return result;
}

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** `npm run build` unless dist/ has every entry and is newer than src/, tsup.config.ts and package.json. */
export function ensureBuilt() {
  const outputs = ENTRIES.flatMap(({ file }) => ['js', 'cjs', 'd.ts', 'd.cts'].map((ext) => join(ROOT, 'dist', `${file}.${ext}`)));
  const missing = outputs.some((file) => !existsSync(file));
  const inputs = Math.max(
    newestMtime(join(ROOT, 'src')),
    newestMtime(join(ROOT, 'tsup.config.ts')),
    newestMtime(join(ROOT, 'package.json')),
  );
  const built = missing ? 0 : Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  if (missing || built < inputs) {
    log(missing ? '(dist/ is missing: npm run build)' : '(dist/ is older than its sources: npm run build)');
    run(npm, ['run', 'build', '--silent'], { capture: true });
  }
}

/** A scratch directory under node_modules/.cache (git-ignored), emptied first. */
export function scratchDir(name) {
  const dir = join(ROOT, 'node_modules', '.cache', 'bearerkit-scripts', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** `npm pack` into `dest`; resolves to the tarball's path and npm's file list. */
export function pack(dest) {
  mkdirSync(dest, { recursive: true });
  const { stdout } = run(npm, ['pack', '--json', '--pack-destination', dest], { capture: true });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  return { tarball: join(dest, info.filename), files: info.files.map((f) => f.path), size: info.size, unpackedSize: info.unpackedSize };
}

/** Unpack a tarball to `projectDir/node_modules/bearerkit` (a package under node_modules, as npm installs it). */
export function unpack(tarball, projectDir) {
  const modules = join(projectDir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', modules], { capture: true });
  renameSync(join(modules, 'package'), join(modules, 'bearerkit'));
  return join(modules, 'bearerkit');
}

/**
 * Build, pack, and unpack the tarball into a scratch project inside the repository's
 * node_modules/.cache, so imports of `bearerkit` resolve to the packed files and its
 * dependencies (ky, zod, msw …) resolve, by walking up, to the repository's node_modules:
 * the exact versions of the lockfile, as a user of the tarball gets them.
 */
export function packedProject(name) {
  ensureBuilt();
  const dir = scratchDir(name);
  // Its own package scope, so `bearerkit` is not resolved as the repository's self-reference.
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `bearerkit-${name}-check`, private: true, type: 'module' }, null, 2)}\n`);
  const packed = pack(join(dir, 'tarball'));
  const packageDir = unpack(packed.tarball, dir);
  return { dir, packageDir, ...packed };
}

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

export function isNodeBuiltin(specifier) {
  if (specifier.startsWith('node:')) return true;
  return BUILTINS.has(specifier.split('/')[0]) || BUILTINS.has(specifier);
}

/**
 * An esbuild plugin that fails the build when a Node-only module is imported. `allowLazy`
 * lists builtins that may appear as a dynamic `import()` (left external, recorded in `seen`).
 */
export function nodeOnlyGuard({ allowLazy = [], seen = [] } = {}) {
  return {
    name: 'bearerkit-node-only-guard',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point' || !isNodeBuiltin(args.path)) return undefined;
        const importer = args.importer ? relative(ROOT, args.importer).split(sep).join('/') : '(entry)';
        if (args.kind === 'dynamic-import' && allowLazy.includes(args.path)) {
          seen.push({ path: args.path, importer, kind: args.kind });
          return { path: args.path, external: true };
        }
        return {
          errors: [
            {
              text: `Node-only module "${args.path}" (${args.kind}) reached a browser bundle, imported by ${importer}`,
            },
          ],
        };
      });
    },
  };
}

/** Package name and root of a bundled input path (`node_modules/ky/distribution/x.js` -> `ky`). */
export function packageOf(inputPath) {
  const parts = inputPath.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at === -1) return undefined;
  const scoped = parts[at + 1]?.startsWith('@');
  const name = scoped ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  const root = parts.slice(0, at + (scoped ? 3 : 2)).join('/');
  return { name, root };
}

/**
 * Problems in an esbuild metafile: a package bundled from two different directories (a second
 * copy), or classic zod (the runtime must use zod/mini or zod's core).
 */
export function bundleProblems(metafile) {
  const problems = [];
  const roots = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const pkg = packageOf(input);
    if (!pkg) continue;
    if (!roots.has(pkg.name)) roots.set(pkg.name, new Set());
    roots.get(pkg.name).add(pkg.root);
    if (pkg.name === 'zod' && /\/zod\/(v4\/)?classic\//.test(input.split(sep).join('/'))) {
      problems.push(`classic zod is bundled (${input}); use zod/mini`);
    }
  }
  for (const [name, dirs] of roots) {
    if (dirs.size > 1) problems.push(`two copies of ${name}: ${[...dirs].join(', ')}`);
  }
  return [...new Set(problems)];
}
