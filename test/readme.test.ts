/**
 * Every TypeScript block in README.md runs as written: each is written to a temporary module
 * (its `bearerkit` imports pointed at the source) and imported while MSW answers the APIs' real
 * base URLs from the stateful mock, with the environment variables the blocks read set to the
 * mock's fake credentials. Nothing leaves the machine.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MOCK_CREDENTIALS, createMockApis } from '../src/testing/index.js';

const root = resolve(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const tmp = join(root, 'test', '.readme-blocks');

const entries: Record<string, string> = {
  'bearerkit/spherescout': 'src/services/spherescout/index.ts',
  'bearerkit/scamverify': 'src/services/scamverify/index.ts',
  'bearerkit/openprospect': 'src/services/openprospect/index.ts',
  'bearerkit/testing': 'src/testing/index.ts',
  'bearerkit/redis': 'src/stores/redis.ts',
  'bearerkit/browser': 'src/stores/browser.ts',
  bearerkit: 'src/index.ts',
};

const LIVE_OPENPROSPECT_KEY = 'lnc_live_ReadmeFullAccess0123456789AbCdEf';
const apis = createMockApis({ baseURLs: { session: 'https://auth.example.com' } });
apis.openprospect.addKey(LIVE_OPENPROSPECT_KEY, ['orders:read', 'orders:write']);
const server = setupServer(...apis.handlers);

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  mkdirSync(tmp, { recursive: true });
  Object.assign(process.env, {
    SPHERESCOUT_API_KEY: MOCK_CREDENTIALS.spherescout.apiKey,
    SPHERESCOUT_USER: MOCK_CREDENTIALS.spherescout.username,
    SPHERESCOUT_PASSWORD: MOCK_CREDENTIALS.spherescout.password,
    SCAMVERIFY_API_KEY: MOCK_CREDENTIALS.scamverify.liveKey,
    OPENPROSPECT_API_KEY: LIVE_OPENPROSPECT_KEY,
    SESSION_API_KEY: MOCK_CREDENTIALS.session.apiKey,
  });
});
afterAll(() => {
  server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('README', () => {
  it('has the blocks this test runs', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(9);
  });

  blocks.forEach((source, index) => {
    const title = source.split('\n').find((line) => line.trim() !== '' && !line.startsWith('import')) ?? '';
    it(`block ${index + 1} runs: ${title.slice(0, 60)}`, async () => {
      let code = source;
      for (const [name, path] of Object.entries(entries)) {
        code = code.replaceAll(`from '${name}'`, `from '${join(root, path)}'`);
      }
      const file = join(tmp, `block-${index + 1}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        await import(/* @vite-ignore */ file);
        expect(log).toHaveBeenCalled();
      } finally {
        log.mockRestore();
      }
    });
  });
});
