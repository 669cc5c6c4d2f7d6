#!/usr/bin/env node
// npm run size: what each bearerkit entry costs a browser app. Each case is bundled from the packed
// tarball with esbuild (minified, browser platform, ESM, tree-shaken, dependencies included),
// gzipped (level 9), printed as a table, and checked against its budget. It also fails when a
// bundle holds classic zod, two copies of a package, or a Node-only module.
//
//   node scripts/size.mjs [--json]
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LAZY_NODE_IMPORTS, bundleProblems, fail, log, nodeOnlyGuard, packedProject } from './lib/common.mjs';

const KB = 1000;

/**
 * Budgets in gzipped bytes (1 KB = 1000 B). (b) is the one the issue fixes at 20 KB; the others
 * are the measured size plus a little headroom, so a regression shows up as a failure.
 */
const CASES = [
  {
    id: 'a',
    name: 'Client + apiKey',
    code: "export { Client, apiKey } from 'bearerkit';",
    budget: 12 * KB,
  },
  {
    id: 'b',
    name: 'Client + apiKey + jwt + session',
    code: "export { Client, apiKey, jwt, session } from 'bearerkit';",
    budget: 20 * KB,
  },
  {
    id: 'c1',
    name: 'bearerkit/spherescout',
    code: "export * from 'bearerkit/spherescout';",
    budget: 19 * KB,
  },
  {
    id: 'c2',
    name: 'bearerkit/scamverify',
    code: "export * from 'bearerkit/scamverify';",
    budget: 17 * KB,
  },
  {
    id: 'c3',
    name: 'bearerkit/openprospect',
    code: "export * from 'bearerkit/openprospect';",
    budget: 18 * KB,
  },
  {
    id: 'all',
    name: 'all four browser entries together',
    code: [
      "export * from 'bearerkit';",
      "export { SphereScout } from 'bearerkit/spherescout';",
      "export { ScamVerify } from 'bearerkit/scamverify';",
      "export { OpenProspect } from 'bearerkit/openprospect';",
    ].join('\n'),
    budget: 20 * KB,
    // One copy of the core: its messages appear once even with every entry in the bundle.
    once: ['`baseURL` is required', 'Refusing to send credentials over plain http'],
  },
];

/** Bundle `code` (which imports the packed bearerkit) for the browser; returns minified bytes, gzipped bytes and the metafile. */
async function measure(code, { resolveDir, allowLazy = [] }) {
  const seen = [];
  const result = await build({
    stdin: { contents: code, resolveDir, sourcefile: 'size-entry.js', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    treeShaking: true,
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [nodeOnlyGuard({ allowLazy, seen })],
  });
  const bytes = result.outputFiles[0].contents;
  return {
    text: result.outputFiles[0].text,
    minified: bytes.byteLength,
    gzipped: gzipSync(bytes, { level: 9 }).byteLength,
    metafile: result.metafile,
    lazy: seen,
  };
}

/** Gzipped bytes per package in a bundle, from the metafile (minified bytes, then scaled to the whole). */
function breakdown(metafile, gzipped) {
  const [output] = Object.values(metafile.outputs);
  const byPackage = new Map();
  let total = 0;
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/\\/g, '/').replace(/.*node_modules\/bearerkit\//, 'node_modules/bearerkit/'));
    const name = input.endsWith('size-entry.js') ? '(entry)' : match ? match[1] : input;
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    total += bytesInOutput;
  }
  return [...byPackage.entries()]
    .sort((x, y) => y[1] - x[1])
    .map(([name, bytes]) => `${name} ~${((gzipped * bytes) / total / KB).toFixed(1)}`)
    .join(', ');
}

function kb(bytes) {
  return `${(bytes / KB).toFixed(1)} KB`;
}

async function main() {
  const json = process.argv.includes('--json');
  const project = packedProject('size');
  const rows = [];
  const problems = [];

  for (const c of CASES) {
    let m;
    try {
      m = await measure(c.code, { resolveDir: project.dir });
    } catch (error) {
      problems.push(`(${c.id}) ${c.name}: bundle failed: ${error.message}`);
      continue;
    }
    for (const p of bundleProblems(m.metafile)) problems.push(`(${c.id}) ${c.name}: ${p}`);
    for (const marker of c.once ?? []) {
      const count = m.text.split(marker).length - 1;
      if (count !== 1) problems.push(`(${c.id}) ${c.name}: "${marker}" appears ${count} times (a second copy of bearerkit's core?)`);
    }
    const ours = Object.keys(m.metafile.inputs).filter((i) => !i.includes('node_modules/') && !i.endsWith('size-entry.js'));
    if (ours.length > 0) problems.push(`(${c.id}) ${c.name}: bundled from outside the packed tarball: ${ours.join(', ')}`);
    const over = m.gzipped > c.budget;
    if (over) problems.push(`(${c.id}) ${c.name}: ${kb(m.gzipped)} gzipped is over its ${kb(c.budget)} budget`);
    rows.push({ ...c, minified: m.minified, gzipped: m.gzipped, over, parts: breakdown(m.metafile, m.gzipped) });
  }

  // bearerkit/testing in a browser (msw handlers): reported, no budget; its lazy node:http must stay
  // lazy (a static Node-only import fails). msw's own dependency tree is msw's: noted, not failed.
  let testing;
  const notes = [];
  try {
    testing = await measure("export * from 'bearerkit/testing';", {
      resolveDir: project.dir,
      allowLazy: LAZY_NODE_IMPORTS['bearerkit/testing'],
    });
    for (const p of bundleProblems(testing.metafile)) notes.push(`(testing) ${p} (inside msw's dependencies)`);
  } catch (error) {
    problems.push(`bearerkit/testing: bundle failed: ${error.message}`);
  }

  log(`${project.tarball.split("/").pop()}: gzipped (level 9), minified browser ESM bundles, esbuild; 1 KB = 1000 B`);
  log('');
  const header = ['case', 'what', 'min', 'gzip', 'budget', ''];
  const table = rows.map((r) => [`(${r.id})`, r.name, kb(r.minified), kb(r.gzipped), kb(r.budget), r.over ? 'OVER' : 'ok']);
  if (testing) table.push(['', 'bearerkit/testing (msw handlers)', kb(testing.minified), kb(testing.gzipped), '-', 'info']);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  log(line(header));
  log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table) log(line(row));
  log('');
  log('gzipped KB per package (approximate share):');
  for (const r of rows) log(`  (${r.id}) ${r.parts}`);
  if (testing) log(`  (testing) ${breakdown(testing.metafile, testing.gzipped)}; lazy: ${testing.lazy.map((l) => l.path).join(', ')}`);

  for (const note of notes) log(`note: ${note}`);
  if (json) {
    const out = join(project.dir, 'size.json');
    writeFileSync(out, JSON.stringify(rows.map(({ id, name, minified, gzipped, budget }) => ({ id, name, minified, gzipped, budget })), null, 2));
    log(`\n(json: ${out})`);
  }
  if (problems.length > 0) fail(`size budget:\n  - ${problems.join('\n  - ')}`);
  log('\nsize budget: ok');
}

main().catch((error) => fail(error.stack ?? String(error)));
