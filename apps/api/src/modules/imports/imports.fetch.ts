import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, request } from 'undici';

export type FetchLimits = {
  /** The largest body read; a larger one is cut off. */
  maxBytes: number;
  /** The whole fetch, redirects and body included. */
  timeoutMs: number;
  maxRedirects: number;
  /** Lets addresses other than public unicast through (tests, a trusted internal network). */
  allowPrivate: boolean;
  /** Overrides the address rule (tests that need one reachable local server and no other). */
  allowAddress?: (address: string) => boolean;
};

/** Why an image address could not be used; the message is shown in the import's report. */
export class ImageFetchError extends Error {
  override name = 'ImageFetchError';
}

/** Public unicast addresses only: no loopback, private, link-local (cloud metadata), multicast… */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/**
 * Fetches images for imports without letting a file reach inside the network (SSRF): only
 * http(s), every address the host resolves to must be public (unless allowed), and the socket
 * connects to the address that was checked (the check sits in the connection's DNS lookup, so
 * DNS rebinding between check and connect is impossible). Redirects are followed by hand, each
 * hop checked again; size and time are capped.
 */
export function createImageFetcher(limits: FetchLimits) {
  const allowed =
    limits.allowAddress ?? ((address: string) => limits.allowPrivate || isPublicAddress(address));
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      const refused = list.find((entry) => !allowed(entry.address));
      if (refused || list.length === 0) {
        const failure = new ImageFetchError(
          `${hostname} resolves to ${refused?.address ?? 'no address'}, which is not a public address`,
        );
        return callback(failure as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
  const agent = new Agent({
    connect: { lookup: guardedLookup, timeout: limits.timeoutMs },
    headersTimeout: limits.timeoutMs,
    bodyTimeout: limits.timeoutMs,
    connections: 8,
  });
  const seconds = Math.round(limits.timeoutMs / 100) / 10;
  const megabytes = Math.round((limits.maxBytes / 1024 / 1024) * 10) / 10;

  function checkUrl(url: URL) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new ImageFetchError(`only http and https addresses are fetched (got ${url.protocol})`);
    if (url.username || url.password)
      throw new ImageFetchError('addresses with a user or password are refused');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // A literal address never goes through the DNS lookup: check it here.
    if (ipaddr.isValid(host) && !allowed(host)) throw new ImageFetchError(`${host} is not a public address`);
  }

  return {
    async fetch(address: string): Promise<{ filename: string; bytes: Buffer }> {
      const signal = AbortSignal.timeout(limits.timeoutMs);
      let url: URL;
      try {
        url = new URL(address);
      } catch {
        throw new ImageFetchError('is not a valid address');
      }
      try {
        for (let hop = 0; ; hop++) {
          checkUrl(url);
          const response = await request(url, {
            dispatcher: agent,
            method: 'GET',
            signal,
            headers: { accept: 'image/*', 'user-agent': 'Souk-import/1.0' },
          });
          if (response.statusCode >= 300 && response.statusCode < 400 && response.headers.location) {
            await response.body.dump();
            if (hop >= limits.maxRedirects)
              throw new ImageFetchError(`more than ${limits.maxRedirects} redirects`);
            url = new URL(String(response.headers.location), url);
            continue;
          }
          if (response.statusCode !== 200) {
            await response.body.dump();
            throw new ImageFetchError(`the server answered HTTP ${response.statusCode}`);
          }
          const declared = Number(response.headers['content-length'] ?? Number.NaN);
          if (declared > limits.maxBytes) {
            response.body.destroy();
            throw new ImageFetchError(`the image is larger than ${megabytes} MB`);
          }
          const chunks: Buffer[] = [];
          let size = 0;
          for await (const chunk of response.body) {
            size += (chunk as Buffer).length;
            if (size > limits.maxBytes) {
              response.body.destroy();
              throw new ImageFetchError(`the image is larger than ${megabytes} MB`);
            }
            chunks.push(chunk as Buffer);
          }
          const filename = decodeURIComponent(url.pathname.split('/').at(-1) || 'image').slice(0, 120);
          return { filename, bytes: Buffer.concat(chunks) };
        }
      } catch (error) {
        if (error instanceof ImageFetchError) throw error;
        if (signal.aborted || (error as { name?: string }).name === 'AbortError')
          throw new ImageFetchError(`no complete answer within ${seconds} s`);
        const cause = (error as { cause?: unknown }).cause;
        if (cause instanceof ImageFetchError) throw cause;
        const code = (error as { code?: string }).code;
        if (
          code === 'UND_ERR_HEADERS_TIMEOUT' ||
          code === 'UND_ERR_BODY_TIMEOUT' ||
          code === 'UND_ERR_CONNECT_TIMEOUT'
        )
          throw new ImageFetchError(`no complete answer within ${seconds} s`);
        throw new ImageFetchError(`could not be fetched (${code ?? (error as Error).message})`);
      }
    },
    close: () => agent.close(),
  };
}

export type ImageFetcher = ReturnType<typeof createImageFetcher>;
