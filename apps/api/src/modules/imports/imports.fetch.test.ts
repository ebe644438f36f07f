import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageFetcher, type FetchLimits, isPublicAddress } from './imports.fetch.js';

/*
 * Image addresses in an import are fetched by the server: these tests hold it to public
 * addresses, re-check redirects, and cut off slow and huge answers. The servers are real, on
 * 127.0.0.1; only the one test that needs to reach them allows that address.
 */

const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const limits: FetchLimits = {
  maxBytes: 15 * 1024 * 1024,
  timeoutMs: 5000,
  maxRedirects: 3,
  allowPrivate: false,
};

let server: Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/photo.png') {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG_1PX.length });
      response.end(PNG_1PX);
    } else if (url.pathname === '/redirect') {
      response.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      response.end();
    } else if (url.pathname === '/slow') {
      // Headers at once, then a byte every 200 ms: never finishes inside the limit.
      response.writeHead(200, { 'content-type': 'image/png' });
      const timer = setInterval(() => response.write('x'), 200);
      response.on('close', () => clearInterval(timer));
    } else if (url.pathname === '/huge') {
      // No content-length: 1 MB chunks for as long as the client reads.
      response.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(1024 * 1024, 1);
      let sent = 0;
      const pump = () => {
        while (sent < 64 && response.write(chunk)) sent++;
        if (sent < 64) response.once('drain', pump);
        else response.end();
      };
      pump();
    } else if (url.pathname === '/declared-huge') {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': 100 * 1024 * 1024 });
      response.write(Buffer.alloc(1024));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function refusal(fetcher: ReturnType<typeof createImageFetcher>, url: string): Promise<string> {
  try {
    await fetcher.fetch(url);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${url} was fetched`);
}

describe('addresses an import may not reach', () => {
  const fetcher = createImageFetcher(limits);
  afterAll(() => fetcher.close());

  it('refuses loopback, cloud metadata (link-local) and private addresses by default', async () => {
    const before = hits.length;
    expect(await refusal(fetcher, `${base}/photo.png`)).toMatch(/127\.0\.0\.1 is not a public address/);
    expect(await refusal(fetcher, 'http://169.254.169.254/latest/meta-data/')).toMatch(
      /not a public address/,
    );
    expect(await refusal(fetcher, 'http://10.1.2.3/photo.jpg')).toMatch(/not a public address/);
    expect(await refusal(fetcher, 'http://192.168.0.10/photo.jpg')).toMatch(/not a public address/);
    expect(await refusal(fetcher, 'http://[::1]/photo.jpg')).toMatch(/not a public address/);
    expect(await refusal(fetcher, 'http://[::ffff:127.0.0.1]/photo.jpg')).toMatch(/not a public address/);
    // The local server never saw a request.
    expect(hits.length).toBe(before);
  });

  it('checks what a host name resolves to, at connection time', async () => {
    const port = (server.address() as AddressInfo).port;
    expect(await refusal(fetcher, `http://localhost:${port}/photo.png`)).toMatch(
      /localhost resolves to .* not a public address/,
    );
  });

  it('fetches only http and https', async () => {
    expect(await refusal(fetcher, 'file:///etc/passwd')).toMatch(/only http and https/);
    expect(await refusal(fetcher, 'ftp://example.com/a.jpg')).toMatch(/only http and https/);
  });

  it('classifies addresses', () => {
    expect(isPublicAddress('93.184.215.14')).toBe(true);
    expect(isPublicAddress('2606:2800:21f:cb07:6820:80da:af6b:8b2c')).toBe(true);
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fc00::1',
      '224.0.0.1',
    ])
      expect(isPublicAddress(address), address).toBe(false);
  });
});

describe('a fetcher that may reach only this test server', () => {
  // The operator setting opens private addresses wholesale; this narrower rule lets the tests
  // reach 127.0.0.1 and prove that a redirect elsewhere is checked again.
  const fetcher = createImageFetcher({ ...limits, allowAddress: (address) => address === '127.0.0.1' });
  afterAll(() => fetcher.close());

  it('fetches an image from an allowed address', async () => {
    const image = await fetcher.fetch(`${base}/photo.png`);
    expect(image.bytes.equals(PNG_1PX)).toBe(true);
    expect(image.filename).toBe('photo.png');
  });

  it('follows a redirect to an allowed address', async () => {
    const image = await fetcher.fetch(`${base}/redirect?to=/photo.png`);
    expect(image.bytes.equals(PNG_1PX)).toBe(true);
  });

  it('refuses a redirect to the metadata address, a private one, or another loopback address', async () => {
    expect(
      await refusal(
        fetcher,
        `${base}/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`,
      ),
    ).toMatch(/169\.254\.169\.254 is not a public address/);
    expect(
      await refusal(fetcher, `${base}/redirect?to=${encodeURIComponent('http://192.168.1.1/')}`),
    ).toMatch(/not a public address/);
    const port = (server.address() as AddressInfo).port;
    expect(
      await refusal(
        fetcher,
        `${base}/redirect?to=${encodeURIComponent(`http://127.0.0.2:${port}/photo.png`)}`,
      ),
    ).toMatch(/127\.0\.0\.2 is not a public address/);
  });

  it('stops after three redirects', async () => {
    let url = '/photo.png';
    for (let hop = 0; hop < 4; hop++) url = `/redirect?to=${encodeURIComponent(url)}`;
    expect(await refusal(fetcher, `${base}${url}`)).toMatch(/more than 3 redirects/);
  });

  it('cuts off an image larger than the limit, declared or not', async () => {
    expect(await refusal(fetcher, `${base}/huge`)).toMatch(/larger than 15 MB/);
    expect(await refusal(fetcher, `${base}/declared-huge`)).toMatch(/larger than 15 MB/);
  });

  it('cuts off a slow answer at the time limit', async () => {
    const quick = createImageFetcher({
      ...limits,
      timeoutMs: 600,
      allowAddress: (address) => address === '127.0.0.1',
    });
    const started = performance.now();
    expect(await refusal(quick, `${base}/slow`)).toMatch(/no complete answer within 0\.6 s/);
    expect(performance.now() - started).toBeLessThan(3000);
    await quick.close();
  });

  it('reports a missing image by its status', async () => {
    expect(await refusal(fetcher, `${base}/nothing.png`)).toMatch(/HTTP 404/);
  });
});
