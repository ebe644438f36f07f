import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.js';
import type { Jobs } from '../jobs.js';
import type { Logger } from '../logger.js';
import { errorFactory, type ProblemCatalog } from './errors.js';
import { createIdempotencyRepository, type IdempotencyRepository } from './idempotency.repository.js';

/*
 * Stripe's semantics for routes that move money or create orders (decision 033). A route opts in
 * with `config: { idempotent: true }`; its callers then send an `Idempotency-Key`. The first
 * answer (status, body, the headers below) is kept for 24 h per actor and key and replayed with
 * `Idempotent-Replayed: true`; the same key with another method, path, body or actor is a 422; a
 * duplicate that arrives while the first is still running waits for it (up to `waitMs`), then gets
 * a 409 with Retry-After. A 5xx answer is not kept, so the client may retry with the same key.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Requires an `Idempotency-Key` and replays the first answer to a repeated key. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** The reservation this request holds, when its route is idempotent and it runs the handler. */
    idempotency?: { scope: string; key: string };
  }
}

export const idempotencyErrors = {
  idempotency_key_required: { status: 400, title: 'This endpoint needs an Idempotency-Key header' },
  idempotency_key_invalid: { status: 400, title: 'The Idempotency-Key header is not valid' },
  idempotency_key_reused: {
    status: 422,
    title: 'The Idempotency-Key was already used for a different request',
  },
  idempotency_in_progress: {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
  },
} satisfies ProblemCatalog;
export type IdempotencyErrorCode = keyof typeof idempotencyErrors;
const idempotencyError = errorFactory(idempotencyErrors);

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
/** Printable ASCII without spaces, as Stripe and the IETF draft allow; a UUID fits. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** The headers that are part of the answer; the rest (dates, request ids, limits) are the moment's. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'content-language'] as const;
const POLL_MS = 50;

export type IdempotencyOptions = {
  database: Pick<Database, 'db'>;
  /** How long the first answer is replayed (24 h). */
  ttlMs?: number;
  /** How long a duplicate waits for the first request to finish before it gets a 409 (10 s). */
  waitMs?: number;
  /** A reservation whose handler neither answered nor failed in this long is given up (60 s). */
  lockMs?: number;
  /** Told when a duplicate starts waiting for the first request (a metric; the tests' cue). */
  onWaiting?: (request: FastifyRequest) => void;
};

type Reservation = { scope: string; key: string; fingerprint: string };

export const idempotency = fp<IdempotencyOptions>(
  async (app: FastifyInstance, options) => {
    const repository = createIdempotencyRepository(options.database.db);
    const ttlMs = options.ttlMs ?? 24 * 3_600_000;
    const waitMs = options.waitMs ?? 10_000;
    const lockMs = options.lockMs ?? 60_000;

    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config?.idempotent) return;
      const reservation = reservationOf(request);
      const deadline = Date.now() + waitMs;
      for (let round = 0; ; round++) {
        const outcome = await repository.reserve(reservation, { ttlMs, lockMs });
        if (outcome.kind === 'reserved') {
          request.idempotency = { scope: reservation.scope, key: reservation.key };
          return;
        }
        if (outcome.row.fingerprint !== reservation.fingerprint)
          throw idempotencyError(
            'idempotency_key_reused',
            'Send a new Idempotency-Key for a different request; a key stands for one request for 24 hours.',
          );
        if (outcome.row.status === 'completed') return replay(reply, outcome.row);
        if (round === 0) options.onWaiting?.(request);
        if (Date.now() >= deadline) {
          reply.header('retry-after', '1');
          throw idempotencyError(
            'idempotency_in_progress',
            'Retry with the same key in a moment for its answer.',
          );
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const held = request.idempotency;
      if (!held) return payload;
      request.idempotency = undefined;
      if (reply.statusCode >= 500 || !(typeof payload === 'string' || Buffer.isBuffer(payload))) {
        // The client may retry a failure on our side; a streamed answer is not kept either.
        await repository.release(held).catch((error: unknown) => {
          request.log.warn(
            { err: error },
            'idempotency: a reservation could not be released (its lock lapses)',
          );
        });
        return payload;
      }
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      await repository.complete(held, {
        status: reply.statusCode,
        headers,
        body: typeof payload === 'string' ? payload : payload.toString('utf8'),
      });
      return payload;
    });
  },
  { name: 'souk-idempotency' },
);

function reservationOf(request: FastifyRequest): Reservation {
  const header = request.headers[IDEMPOTENCY_HEADER];
  if (header === undefined)
    throw idempotencyError(
      'idempotency_key_required',
      'Send a unique Idempotency-Key (a UUID) with this request.',
    );
  if (typeof header !== 'string' || !KEY_PATTERN.test(header))
    throw idempotencyError(
      'idempotency_key_invalid',
      'Use 1 to 255 printable ASCII characters without spaces.',
    );
  // Keys are per actor: two members choosing the same key never see each other's answers.
  const actor = request.ctx?.actor?.userId;
  const scope = actor ? `user:${actor}` : `anonymous:${request.ip}`;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([request.method, request.url, scope, request.body ?? null]))
    .digest('base64url');
  return { scope, key: header, fingerprint };
}

function replay(
  reply: FastifyReply,
  row: {
    responseStatus: number | null;
    responseHeaders: Record<string, string> | null;
    responseBody: string | null;
  },
) {
  reply.code(row.responseStatus ?? 200);
  for (const [name, value] of Object.entries(row.responseHeaders ?? {})) reply.header(name, value);
  reply.header(REPLAYED_HEADER, 'true');
  return reply.send(row.responseBody ?? '');
}

export const CLEAN_IDEMPOTENCY_KEYS_QUEUE = 'idempotency.clean';
const CLEAN_BATCH = 5_000;

/** Deletes expired keys every hour, in short batches; call before `jobs.start`. */
export function defineIdempotencyJobs(deps: {
  jobs: Pick<Jobs, 'define' | 'schedule'>;
  database: Pick<Database, 'db'>;
  logger: Logger;
}): void {
  const repository = createIdempotencyRepository(deps.database.db);
  deps.jobs.define(CLEAN_IDEMPOTENCY_KEYS_QUEUE, async () => {
    const deleted = await cleanExpiredKeys(repository);
    if (deleted > 0) deps.logger.info({ deleted }, 'idempotency: expired keys deleted');
  });
  deps.jobs.schedule(CLEAN_IDEMPOTENCY_KEYS_QUEUE, '23 * * * *');
}

export async function cleanExpiredKeys(repository: IdempotencyRepository, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await repository.deleteExpired(now, CLEAN_BATCH);
    total += deleted;
    if (deleted < CLEAN_BATCH) return total;
  }
}
