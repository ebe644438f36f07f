// The bare `node:http` baseline of bench/http.bench.ts: answers the same paths with the same bytes
// and content-type that Souk answered, and nothing else. Run as a child process so it has its own
// event loop, like the Souk server it is compared with.
//
//   BASELINE_PAYLOADS=/tmp/payloads.json PORT=0 node bench/baseline-server.mjs
//
// The payload file maps a path to { contentType, bodyBase64 }. When listening, the server writes
// one line `listening <port>` to stdout.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const file = process.env.BASELINE_PAYLOADS;
if (!file) {
  console.error('BASELINE_PAYLOADS is not set');
  process.exit(2);
}
const payloads = new Map(
  Object.entries(JSON.parse(readFileSync(file, 'utf8'))).map(([path, { contentType, bodyBase64 }]) => {
    const body = Buffer.from(bodyBase64, 'base64');
    return [path, { body, headers: { 'content-type': contentType, 'content-length': body.length } }];
  }),
);

const server = createServer((request, response) => {
  const payload = payloads.get(request.url ?? '');
  if (!payload) {
    response.writeHead(404, { 'content-length': 0 });
    response.end();
    return;
  }
  response.writeHead(200, payload.headers);
  response.end(payload.body);
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : '?'}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
