/**
 * `startMockServer()`: the same stateful mocks served over real HTTP on 127.0.0.1,
 * with CORS so a browser page on another port can call it. The only Node-only file
 * of `bearerkit/testing`; it loads `node:http` lazily, inside `startMockServer()`, so
 * importing `bearerkit/testing` in a browser (for the msw handlers) never loads it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse } from 'msw';
import { createMockApis, type MockApis, type MockOptions } from './handlers.js';

export interface MockServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The `baseURL` to give each API's client. */
  urls: { spherescout: string; scamverify: string; openprospect: string; session: string };
  apis: MockApis;
  /** Stops listening, closes idle and active connections; resolves once closed. */
  close(): Promise<void>;
}

/** `baseURLs` is ignored: the server decides them (see `MockServer.urls`). */
export type MockServerOptions = MockOptions & {
  /** Default 0: a random free port. */
  port?: number;
};

const ALLOW_HEADERS = ['authorization', 'content-type', 'accept', 'x-request-id', 'retry-after-ms'];
const ALLOW_METHODS = 'GET,POST,PUT,PATCH,DELETE,OPTIONS';
const EXPOSE_HEADERS = 'retry-after, retry-after-ms, x-request-id, www-authenticate';

function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return {
    'access-control-allow-origin': origin ?? '*',
    'access-control-expose-headers': EXPOSE_HEADERS,
    vary: 'Origin',
  };
}

function preflightHeaders(req: IncomingMessage): Record<string, string> {
  const requested = (req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '' && !ALLOW_HEADERS.includes(h));
  return {
    ...corsHeaders(req),
    'access-control-allow-methods': ALLOW_METHODS,
    'access-control-allow-headers': [...ALLOW_HEADERS, ...requested].join(', '),
    'access-control-max-age': '600',
    'content-length': '0',
  };
}

async function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req) {
    chunks.push(chunk as Uint8Array);
    size += (chunk as Uint8Array).byteLength;
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Serves the four mocks on 127.0.0.1 under `/spherescout`, `/scamverify`, `/openprospect/api/v1` and `/session`. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  let apis: MockApis | undefined;
  let requestSeq = 0;
  const nextRequestId = (): string => `req_server_${++requestSeq}`;

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: Uint8Array | undefined,
    headers: Record<string, string | string[]>,
  ): void => {
    const all: Record<string, string | string[]> = { ...headers, ...corsHeaders(req) };
    all['x-request-id'] ??= nextRequestId();
    const hasBody = body !== undefined && status !== 204 && status !== 304;
    if (hasBody) all['content-length'] = String(body.byteLength);
    res.writeHead(status, all);
    res.end(hasBody && req.method !== 'HEAD' ? body : undefined);
  };

  const sendJson = (req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void => {
    send(req, res, status, new TextEncoder().encode(JSON.stringify(value)), { 'content-type': 'application/json' });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS') {
      req.resume();
      res.writeHead(204, { ...preflightHeaders(req), 'x-request-id': nextRequestId() });
      res.end();
      return;
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
    if (!apis) return sendJson(req, res, 503, { error: 'starting', message: 'Mock server is starting' });

    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    // The server's own origin, whatever Host the client sent, so the handlers' URLs match.
    const request = new Request(new URL(req.url ?? '/', url), {
      method,
      headers,
      body: body && body.byteLength > 0 ? body : undefined,
      signal: controller.signal,
    });

    const response = await getResponse(apis.handlers, request);
    if (controller.signal.aborted) return;
    if (!response) {
      return sendJson(req, res, 404, { error: 'not_found', message: `No mock route for ${method} ${req.url ?? '/'}` });
    }
    if (response.type === 'error') {
      // A network error: reset the connection instead of answering.
      const socket = req.socket;
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return;
    }
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, key) => {
      if (key !== 'set-cookie' && key !== 'content-length' && key !== 'transfer-encoding') out[key] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) out['set-cookie'] = cookies;
    const payload = new Uint8Array(await response.arrayBuffer());
    send(req, res, response.status, payload, out);
  };

  const { createServer } = await import('node:http');
  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else sendJson(req, res, 500, { error: 'mock_server_error', message: 'The mock server failed' });
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const urls = {
    spherescout: `${url}/spherescout`,
    scamverify: `${url}/scamverify`,
    openprospect: `${url}/openprospect/api/v1`,
    session: `${url}/session`,
  };
  apis = createMockApis({ ...options, baseURLs: urls });

  let closing: Promise<void> | undefined;
  return {
    url,
    urls,
    apis,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
