import http from 'node:http';

/**
 * One GET over a kept-alive connection, asking for gzip as browsers do; the body is read to the
 * end but not decompressed or parsed. `fetch` did both, and its ~1–2 ms of CPU per request was
 * taken from the 2 cores the server and PostgreSQL share with this client.
 */
export function getStatus(agent: http.Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, path, agent, headers: { 'accept-encoding': 'gzip' }, timeout: 10_000 },
      (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`timed out on ${path}`)));
    request.on('error', reject);
  });
}

/** The p-th percentile of an ascending list (nearest rank); 0 for an empty list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
