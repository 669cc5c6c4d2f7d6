// The benchmark's loopback server, run in a child process (`fork`) so that its CPU is not the
// client's: node:http with keep-alive, a ~300-byte JSON body built once.
//
//   GET  /item                 200, the body (any client, any token)
//   GET  /jwt/item             200 when `Authorization: Bearer <jwt>` has an `exp` in the future, else 401
//   POST /api/token/refresh    a fresh access JWT (1 h) and the same refresh token; counted
//   GET  /limited?id=N         the first request for each id: 429 `Retry-After: 1`; then 200
//   GET  /__stats, POST /__reset   the counters (refresh calls, attempts on /limited, requests)
//
// The parent learns the port through the IPC channel: { port }.
import http from 'node:http';
import { BODY, JSON_HEADERS, fakeJwt } from './shared.mjs';

function jwtExpired(authorization) {
  if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return true;
  const payload = authorization.slice(7).split('.')[1];
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString());
    return !(exp * 1000 > Date.now());
  } catch {
    return true;
  }
}

const stats = { requests: 0, connections: 0, refreshCalls: 0, limitedAttempts: 0, limited429: 0, jwt401: 0 };
let limitedSeen = new Set();

function send(res, status, body, headers = {}) {
  const buffer = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(buffer.length), ...headers });
  res.end(buffer);
}

const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  stats.requests += 1;
  const url = req.url;
  if (req.method === 'GET' && url === '/item') {
    res.writeHead(200, JSON_HEADERS);
    res.end(BODY);
    return;
  }
  if (req.method === 'GET' && url === '/jwt/item') {
    if (jwtExpired(req.headers.authorization)) {
      stats.jwt401 += 1;
      send(res, 401, '{"detail":"Given token not valid for any token type","code":"token_not_valid"}');
      return;
    }
    res.writeHead(200, JSON_HEADERS);
    res.end(BODY);
    return;
  }
  if (url.startsWith('/limited?')) {
    stats.limitedAttempts += 1;
    const id = new URLSearchParams(url.slice(9)).get('id');
    if (!limitedSeen.has(id)) {
      limitedSeen.add(id);
      stats.limited429 += 1;
      send(res, 429, '{"detail":"Request was throttled."}', { 'retry-after': '1' });
      return;
    }
    res.writeHead(200, JSON_HEADERS);
    res.end(BODY);
    return;
  }
  if (req.method === 'POST' && url === '/api/token/refresh') {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      stats.refreshCalls += 1;
      let refresh;
      try {
        refresh = JSON.parse(raw).refresh;
      } catch {}
      if (typeof refresh !== 'string') {
        send(res, 401, '{"detail":"no refresh token","code":"token_not_valid"}');
        return;
      }
      send(res, 200, JSON.stringify({ access: fakeJwt(3_600_000), refresh }));
    });
    return;
  }
  if (url === '/__stats') {
    send(res, 200, JSON.stringify(stats));
    return;
  }
  if (url === '/__reset') {
    for (const key of Object.keys(stats)) stats[key] = 0;
    limitedSeen = new Set();
    send(res, 200, '{}');
    return;
  }
  send(res, 404, '{"detail":"not found"}');
});
server.on('connection', () => (stats.connections += 1));
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.maxRequestsPerSocket = 0;

server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
