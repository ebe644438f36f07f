import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listingFixtures } from '../test-support/listing-fixtures.js';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { waitFor } from '../test-support/wait.js';

/**
 * Issue 23, must-show 3: with OTEL_EXPORTER_OTLP_ENDPOINT set, a request, its database queries and
 * the job it enqueued arrive at an OTLP/HTTP receiver as one trace. The receiver is a plain
 * node:http server decoding the exporter's JSON, as a collector would.
 */
type ExportedSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
};

const received: ExportedSpan[] = [];
const serviceNames = new Set<string>();
let receiver: Server;
let t: TestApp;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: { stringValue?: string } }[] };
            scopeSpans: { spans: ExportedSpan[] }[];
          }[];
        };
        for (const resourceSpans of body.resourceSpans) {
          for (const attribute of resourceSpans.resource.attributes) {
            if (attribute.key === 'service.name' && attribute.value.stringValue) {
              serviceNames.add(attribute.value.stringValue);
            }
          }
          for (const scope of resourceSpans.scopeSpans) received.push(...scope.spans);
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  t = await createTestApp({
    work: true,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_SERVICE_NAME: 'souk-trace-test' },
  });
});

afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('tracing', () => {
  it('exports one trace from a request through its database queries and the job it enqueued', async () => {
    const fixtures = await listingFixtures(t);
    const seller = await t.signUp();
    const draft = await fixtures.draft(seller, { title: 'Traced tuk-tuk' });
    const published = await t.app.inject({
      method: 'POST',
      url: `/api/v1/listings/${draft.id}/publish`,
      headers: { ...seller.headers, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    expect(published.statusCode, published.body).toBe(200);

    // The caller's traceparent is continued: its trace id is the one to follow.
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const ofTrace = () => received.filter((span) => span.traceId === traceId);
    // Until the job span of the publish request has been exported.
    const spans = await waitFor(async () => {
      const found = ofTrace();
      return found.some((span) => span.name.startsWith('job ')) ? found : null;
    });
    const server = spans.find((span) => span.name === 'POST /api/v1/listings/:id/publish');
    expect(server, spans.map((span) => span.name).join(', ')).toBeDefined();
    expect(server?.parentSpanId).toBe('b7ad6b7169203331');
    const queries = spans.filter((span) => span.name.startsWith('db '));
    expect(queries.some((span) => span.parentSpanId === server?.spanId)).toBe(true);
    const jobs = spans.filter((span) => span.name.startsWith('job '));
    // The job ran in the worker loop, long after the request ended; it still joins the trace.
    expect(jobs.length).toBeGreaterThan(0);
    const jobIds = new Set(jobs.map((span) => span.spanId));
    expect(queries.some((span) => span.parentSpanId && jobIds.has(span.parentSpanId))).toBe(true);
    expect(serviceNames).toContain('souk-trace-test');
    console.log(
      `trace ${traceId}: ${spans.length} spans: ${server?.name}, ${queries.length} queries, jobs: ${[
        ...new Set(jobs.map((span) => span.name)),
      ].join(', ')}`,
    );
  });
});
