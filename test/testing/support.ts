import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createMockApis, type MockApis, type MockOptions } from '../../src/testing/index.js';

/** One msw server over `createMockApis(options)` for a test file; `reset()` after each test. */
export function useMockApis(options?: MockOptions): MockApis {
  const apis = createMockApis(options);
  const server = setupServer(...apis.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => apis.reset());
  afterAll(() => server.close());
  return apis;
}

export interface Call {
  status: number;
  headers: Headers;
  body: any;
}

/** fetch + parse: JSON when the body is JSON, the text otherwise, undefined when empty. */
export async function call(
  url: string,
  init: { method?: string; token?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<Call> {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set('authorization', `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(url, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  let body: unknown = text === '' ? undefined : text;
  if (text !== '' && (response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body };
}
