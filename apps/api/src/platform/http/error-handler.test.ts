import Fastify from 'fastify';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../db/errors.js';
import { registerErrorHandling } from './error-handler.js';

/** A route that throws `error`, behind the app's error handler. */
async function answerTo(error: unknown) {
  const app = Fastify({ logger: false });
  registerErrorHandling(app, () => undefined);
  app.get('/boom', async () => {
    throw error;
  });
  try {
    return await app.inject({ method: 'GET', url: '/boom' });
  } finally {
    await app.close();
  }
}

/** What a real query throws: the error node-postgres raised, never a hand-made copy. */
async function failureOf(work: () => Promise<unknown>): Promise<Error> {
  try {
    await work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the work to fail');
}

const baseUrl = process.env.TEST_DATABASE_URL;
const clients: pg.Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.end().catch(() => {})));
});
async function connect(options: pg.ClientConfig = {}) {
  const client = new pg.Client({ connectionString: baseUrl, ...options });
  client.on('error', () => {});
  clients.push(client);
  await client.connect();
  return client;
}

function expectUnavailable(response: Awaited<ReturnType<typeof answerTo>>) {
  expect(response.statusCode).toBe(503);
  expect(response.headers['retry-after']).toBe('5');
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json()).toMatchObject({ status: 503, code: 'service_unavailable' });
  // Nothing of the driver's message reaches the client.
  expect(response.body).not.toMatch(/ECONNREFUSED|terminat|pg_sleep|statement/i);
}

describe('a database that is gone, restarting or stalled is a 503 with Retry-After, not a 500', () => {
  it('a refused connection (PostgreSQL down)', async () => {
    const refused = await failureOf(() =>
      new pg.Client({ connectionString: 'postgres://souk@127.0.0.1:1/souk' }).connect(),
    );
    expect((refused as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expectUnavailable(await answerTo(refused));
    // The same error wrapped as drizzle wraps a failed query.
    expectUnavailable(await answerTo(new Error('Failed query: select 1', { cause: refused })));
  });

  it('the watchdog saying the database does not answer', async () => {
    expectUnavailable(await answerTo(new DatabaseUnavailableError()));
  });

  it('anything else is still a 500 that reveals nothing', async () => {
    const response = await answerTo(new TypeError('cannot read properties of undefined'));
    expect(response.statusCode).toBe(500);
    expect(response.headers['retry-after']).toBeUndefined();
    expect(response.json()).toMatchObject({ code: 'internal_error' });
    expect(isDatabaseUnavailable(new Error('duplicate key value violates unique constraint'))).toBe(false);
  });

  it.skipIf(!baseUrl)('a connection the server ended (57P01, as on `pg_ctl stop -m fast`)', async () => {
    const victim = await connect();
    const admin = await connect();
    const pid = (await victim.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    const sleeping = failureOf(() => victim.query('select pg_sleep(30)'));
    // Terminate it once it is running the statement, not before.
    for (;;) {
      const { rows } = await admin.query(
        "select state from pg_stat_activity where pid = $1 and state = 'active'",
        [pid],
      );
      if (rows.length > 0) break;
    }
    await admin.query('select pg_terminate_backend($1)', [pid]);
    const terminated = await sleeping;
    expect((terminated as { code?: string }).code).toBe('57P01');
    expectUnavailable(await answerTo(terminated));
    // The next query on that client: "Client has encountered a connection error and is not queryable".
    const dead = await failureOf(() => victim.query('select 1'));
    expectUnavailable(await answerTo(dead));
  });

  it.skipIf(!baseUrl)('a statement timeout (57014) and a client-side query timeout', async () => {
    const client = await connect({ statement_timeout: 50 });
    const cancelled = await failureOf(() => client.query('select pg_sleep(5)'));
    expect((cancelled as { code?: string }).code).toBe('57014');
    expectUnavailable(await answerTo(cancelled));
    const impatient = await connect({ query_timeout: 50 });
    const timedOut = await failureOf(() => impatient.query('select pg_sleep(1)'));
    expect(timedOut.message).toBe('Query read timeout');
    expectUnavailable(await answerTo(timedOut));
  });
});
