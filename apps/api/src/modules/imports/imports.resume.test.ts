import type { ImportJob } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';
import type { ListingsService } from '../listings/index.js';
import { multipart } from '../media/media.test-support.js';
import { createImportsRepository } from './imports.repository.js';
import { createImportsService, IMPORT_BATCH_SIZE } from './imports.service.js';

/**
 * An import whose worker dies mid-file is resumed by the next run of its job (on another worker,
 * once the dead one's lease has ended) from its last committed batch: every row lands once, and
 * every listing publishes its events once. The worker here "dies" by hanging forever in a batch's
 * write; faults/worker-kill.fault.test.ts kills a real worker process with SIGKILL.
 * The app does not work jobs, so the events the import publishes stay countable in their queues.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.modules.catalog.seedDemoData();
});
afterAll(() => t.close());

const HEADER =
  'external_id,category,title,description,price,currency,price_type,condition,quantity,city,latitude,longitude,features,images,status,attr.make,attr.model,attr.year,attr.mileageKm,attr.fuel,attr.transmission,attr.condition';
const ROWS = IMPORT_BATCH_SIZE * 2 + 100;
const csvOf = (prefix: string) =>
  `${HEADER}\n${Array.from(
    { length: ROWS },
    (_, index) =>
      `${prefix}-${index},cars,Toyota Corolla ${prefix} ${index},Well kept and serviced,7500000,LKR,fixed,used,1,colombo,6.927079,79.861244,Reverse camera,,active,toyota,corolla,2018,45000,hybrid,automatic,used`,
  ).join('\n')}\n`;

async function upload(seller: TestUser, content: string): Promise<string> {
  const body = multipart([
    { data: Buffer.from(content), filename: 'stock.csv', type: 'text/csv', field: 'file' },
  ]);
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: { ...seller.headers, 'content-type': body.contentType },
    payload: body.payload,
  });
  expect(response.statusCode, response.body).toBe(202);
  return (response.json() as ImportJob).id;
}

/** An imports service whose listings write hangs forever on its `hangAt`-th batch (after or before writing). */
function dyingWorker(hangAt: number, after: 'before-write' | 'after-write') {
  const listings = t.app.modules.listings.service;
  let batches = 0;
  const state = { hung: false };
  const applyImport: ListingsService['applyImport'] = async (ctx, rows) => {
    batches += 1;
    if (batches < hangAt) return listings.applyImport(ctx, rows);
    if (after === 'after-write') await listings.applyImport(ctx, rows);
    state.hung = true;
    return new Promise<never>(() => {});
  };
  const service = createImportsService({
    database: t.platform.database,
    repository: createImportsRepository(),
    jobs: t.platform.jobs,
    listings: { ...listings, applyImport },
    media: t.app.modules.media.service,
    accountExists: async () => true,
    requireVerifiedSeller: async () => {},
    config: {
      maxFileBytes: 10_000_000,
      maxArchiveBytes: 10_000_000,
      publicOrigin: 'http://localhost',
      fetch: { maxBytes: 1_000_000, timeoutMs: 1_000, maxRedirects: 0, allowPrivate: false },
    },
  });
  return { service, state };
}

async function countsOf(sellerId: string, prefix: string) {
  const { rows } = await t.platform.database.executor.executeSql(
    `select count(*)::int as listings, count(distinct external_id)::int as distinct_ids
       from listings where seller_id = $1 and external_id like $2`,
    [sellerId, `${prefix}-%`],
  );
  const published = await t.platform.database.executor.executeSql(
    `select name, count(*)::int as events, count(distinct data->'payload'->>'listingId')::int as listings
       from pgboss.job where name like 'event.listing.published.%' and data->'payload'->>'sellerId' = $1
      group by name`,
    [sellerId],
  );
  return { ...(rows[0] as { listings: number; distinct_ids: number }), published: published.rows };
}

async function importRow(id: string) {
  const { rows } = await t.platform.database.executor.executeSql(
    'select status, resume_after_line, rows_done, created, updated, unchanged, failed from imports where id = $1',
    [id],
  );
  return rows[0] as Record<string, number | string>;
}

describe('an import whose worker died', () => {
  for (const when of ['before-write', 'after-write'] as const) {
    it(`resumes from its last committed batch, every row and event once (killed ${when} of a batch)`, async () => {
      const seller = await t.signUp();
      const prefix = `resume-${when}`;
      const id = await upload(seller, csvOf(prefix));
      const dying = dyingWorker(2, when);
      void dying.service.runQueued(id);
      await waitFor(async () => dying.state.hung);
      const checkpoint = await importRow(id);
      expect(checkpoint).toMatchObject({
        status: 'running',
        rows_done: IMPORT_BATCH_SIZE,
        created: IMPORT_BATCH_SIZE,
      });
      // The first batch's header line is 1: its 500 rows are lines 2..501.
      expect(checkpoint.resume_after_line).toBe(IMPORT_BATCH_SIZE + 1);

      // The job's next run, elsewhere.
      await t.app.modules.imports.service.runQueued(id);
      const done = await importRow(id);
      expect(done.status).toBe('completed');
      expect(done.rows_done).toBe(ROWS);
      expect(done.failed).toBe(0);
      // A batch written but not checkpointed is found written again: unchanged, not created twice.
      expect(Number(done.created) + Number(done.unchanged)).toBe(ROWS);
      expect(done.unchanged).toBe(when === 'after-write' ? IMPORT_BATCH_SIZE : 0);

      const counts = await countsOf(seller.userId, prefix);
      expect(counts.listings).toBe(ROWS);
      expect(counts.distinct_ids).toBe(ROWS);
      expect(counts.published.length).toBeGreaterThan(0);
      for (const queue of counts.published) expect(queue).toMatchObject({ events: ROWS, listings: ROWS });

      // The seller may import again: the import is finished.
      const again = await upload(seller, csvOf(`${prefix}-again`));
      expect(again).not.toBe(id);
    }, 120_000);
  }
});
