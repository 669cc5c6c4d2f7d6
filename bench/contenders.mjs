// The contenders of the per-request overhead table: each is `run()` = one GET of the ~300-byte
// JSON body, parsed, the way a user of that library would write it.
import ky from 'ky';
import * as z from 'zod/mini';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { entry, fakeJwt } from './shared.mjs';

export const KEY = 'bk_bench_4f7c2a9e1d6b3c8a';

/** The body's schema (zod/mini, as bearerkit's own service schemas). */
export const Item = z.looseObject({
  id: z.string(),
  name: z.string(),
  country: z.string(),
  website: z.nullable(z.string()),
  email: z.nullable(z.string()),
  employees: z.number(),
  founded: z.number(),
  verified: z.boolean(),
  score: z.number(),
  tags: z.array(z.string()),
  updated_at: z.string(),
});

/** Optional peers: measured when installed (`npm install -D ofetch axios`), skipped otherwise. */
async function optional(name) {
  try {
    return await import(name);
  } catch {
    return undefined;
  }
}

/**
 * `baseURL` is the bench server. Returns [{ id, label, run }], in table order. The first is the
 * limit (raw fetch); `kyLean` is ky called exactly as bearerkit calls it for one attempt.
 */
export async function contenders(baseURL) {
  const { Client, jwt, VERSION } = await import(entry('index'));
  const url = `${baseURL}/item`;
  const client = new Client(KEY, { baseURL });
  const jwtClient = new Client({ baseURL, auth: jwt({ tokens: { access: fakeJwt(24 * 3_600_000), refresh: 'r' } }) });
  // What bearerkit's Client sends on every attempt (src/client.ts #send): these headers, its
  // per-attempt timeout, ky's retry off (p-retry is the one loop), HTTP errors as responses.
  const headers = { accept: 'application/json', 'user-agent': `bearerkit/${VERSION}`, authorization: `Bearer ${KEY}` };

  const list = [
    {
      id: 'fetch',
      label: 'fetch + res.json() (the limit)',
      run: async () => (await fetch(url)).json(),
    },
    {
      id: 'kyDefault',
      label: 'ky, defaults: ky(url).json()',
      run: () => ky(url).json(),
    },
    {
      id: 'kyLean',
      label: "ky as bearerkit configures it¹",
      run: async () => {
        const response = await ky(url, { method: 'GET', headers, timeout: 60_000, retry: 0, throwHttpErrors: false });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      },
    },
    {
      id: 'bk',
      label: 'bearerkit Client, static key',
      run: () => client.get('/item'),
    },
    {
      id: 'bkSchema',
      label: 'bearerkit Client, static key + zod/mini schema',
      run: () => client.get('/item', { schema: Item }),
    },
    {
      id: 'bkJwt',
      label: 'bearerkit Client, jwt() with an unexpired token',
      run: () => jwtClient.get('/item'),
    },
  ];

  // `--compare=DIR`: the same call through another build of bearerkit (e.g. the last release, or
  // the commit before a change), interleaved with this one.
  const compareDir = process.env.BENCH_COMPARE_DIR;
  if (compareDir) {
    const other = await import(pathToFileURL(join(compareDir, 'dist', 'index.js')).href);
    const otherClient = new other.Client(KEY, { baseURL });
    list.push({ id: 'bkCompare', label: `bearerkit Client, static key: the build in ${compareDir}`, run: () => otherClient.get('/item') });
  }

  const ofetch = await optional('ofetch');
  if (ofetch) list.push({ id: 'ofetch', label: 'ofetch(url)', run: () => ofetch.ofetch(url) });
  const axios = await optional('axios');
  if (axios) list.push({ id: 'axios', label: 'axios.get(url)', run: async () => (await axios.default.get(url)).data });
  return list;
}
