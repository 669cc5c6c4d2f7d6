// Cold import time (a fresh process per measurement, spawned by run.mjs): how long
// `await import(specifier)` takes, module loading and evaluation included. Prints ms.
const specifier = process.argv[2];
const start = performance.now();
await import(specifier);
process.stdout.write(`${performance.now() - start}\n`);
