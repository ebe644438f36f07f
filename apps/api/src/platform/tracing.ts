import {
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from './logger.js';

/**
 * OpenTelemetry traces (decision 030): HTTP requests, database queries and jobs, one trace from a
 * request through the jobs it enqueued. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set, and then
 * nothing of the SDK is even loaded: the hooks below are installed only when `tracer` is set, so
 * an untraced process pays one boolean test per query and per job, nothing per request.
 */
let tracer: Tracer | null = null;

export type Tracing = { shutdown(): Promise<void> };

export function tracingEnabled(): boolean {
  return tracer !== null;
}

/** Starts the SDK and an OTLP/HTTP exporter when `endpoint` is set; null (and nothing loaded) otherwise. */
export async function startTracing(options: {
  endpoint: string | undefined;
  serviceName: string;
  logger?: Logger;
}): Promise<Tracing | null> {
  if (!options.endpoint) return null;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000 })],
  });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  tracer = trace.getTracer('souk');
  options.logger?.info({ endpoint: options.endpoint }, 'tracing: exporting spans over OTLP/HTTP');
  return {
    async shutdown() {
      tracer = null;
      // Flushes what is batched; an unreachable collector must not hold the shutdown.
      await provider
        .shutdown()
        .catch((error: unknown) => options.logger?.warn({ err: error }, 'tracing: flush failed'));
    },
  };
}

const spans = new WeakMap<FastifyRequest, Span>();

/**
 * A server span per request, continuing an incoming `traceparent`, active while Fastify runs the
 * request's later hooks and handler (they start inside the `done` called here).
 */
export function traceRequests(app: FastifyInstance): void {
  if (!tracer) return;
  const active = tracer;
  app.addHook('onRequest', (request, _reply, done) => {
    const parent = propagation.extract(context.active(), request.headers);
    const route = request.routeOptions.url ?? 'unmatched';
    const span = active.startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'http.route': route, 'url.path': request.url },
      },
      parent,
    );
    spans.set(request, span);
    context.with(trace.setSpan(parent, span), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      spans.delete(request);
    }
    done();
  });
}

type QueryFunction = (...args: unknown[]) => unknown;

/** Wraps a driver's promise-returning `query` with a client span per statement, when tracing is on. */
export function traceQueries(query: QueryFunction, system: 'postgresql' | 'pglite'): QueryFunction {
  if (!tracer) return query;
  const active = tracer;
  return (...args: unknown[]) => {
    // Only within a trace: the watchdog's probes and idle pool chatter start none of their own.
    if (!trace.getSpan(context.active()) || typeof args.at(-1) === 'function') return query(...args);
    const first = args[0] as string | { text?: string; name?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    const span = active.startSpan(statementName(text), {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system': system, 'db.statement': text.slice(0, 2_000) },
    });
    const result = context.with(trace.setSpan(context.active(), span), () => query(...args));
    if (!(result instanceof Promise)) {
      span.end();
      return result;
    }
    return result.then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        throw error;
      },
    );
  };
}

function statementName(text: string): string {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
  return `db ${verb}`;
}

/** The trace context a job carries in its data (`_trace`), so its span joins the sender's trace. */
export function withTraceContext<T extends object>(data: T): T {
  if (!tracer || !trace.getSpan(context.active())) return data;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? { ...data, _trace: carrier } : data;
}

/** Runs a job's handler in a consumer span continuing the trace its data carries (and without `_trace`). */
export async function traceJob<T>(
  queue: string,
  data: object,
  run: (data: object) => Promise<T>,
): Promise<T> {
  const carried = (data as { _trace?: Record<string, string> })._trace;
  let plain = data;
  if (carried !== undefined) {
    const { _trace: _, ...rest } = data as { _trace?: unknown };
    plain = rest;
  }
  if (!tracer) return run(plain);
  const parent: Context = carried ? propagation.extract(context.active(), carried) : context.active();
  const span = tracer.startSpan(
    `job ${queue}`,
    { kind: SpanKind.CONSUMER, attributes: { 'job.queue': queue } },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => run(plain));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}
