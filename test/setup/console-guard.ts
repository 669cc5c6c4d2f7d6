/**
 * Loaded before every test file: anything the suite prints through `console` is scanned for
 * the mock's seeded secrets and the secret marker the scans use; printing one fails the test.
 */
import { inspect } from 'node:util';
import { MOCK_CREDENTIALS } from '../../src/testing/index.js';

const secrets = [
  MOCK_CREDENTIALS.spherescout.password,
  MOCK_CREDENTIALS.spherescout.apiKey,
  MOCK_CREDENTIALS.scamverify.testKey,
  MOCK_CREDENTIALS.scamverify.liveKey,
  MOCK_CREDENTIALS.scamverify.noSubscriptionKey,
  MOCK_CREDENTIALS.openprospect.apiKey,
  MOCK_CREDENTIALS.openprospect.readOnlyKey,
  MOCK_CREDENTIALS.session.apiKey,
  'zQ9xSECRET',
];

for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    const text = args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10 }))).join(' ');
    const leaked = secrets.find((s) => text.includes(s));
    if (leaked !== undefined) throw new Error(`console.${method} printed a secret (${leaked.slice(0, 6)}…)`);
    original(...args);
  };
}
