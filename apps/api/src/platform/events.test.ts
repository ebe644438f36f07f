import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyDatabase, dropDatabase, urlFor } from '../test-support/postgres.js';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { waitFor } from '../test-support/wait.js';
import { loadConfig } from './config.js';
import { createPlatform } from './index.js';
import { createLogger } from './logger.js';

describe('domain events', () => {
  const received: { slug: string; parentId: string | null }[] = [];
  let t: TestApp;
  let asAdmin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp({
      work: true,
      subscribe: (events) =>
        events.subscribe('catalog.category_created', 'test-listener', async (payload) => {
          received.push({ slug: payload.slug, parentId: payload.parentId });
        }),
    });
    asAdmin = (await t.signUp({ role: 'admin' })).headers;
  });
  afterAll(() => t.close());

  const depth = async () =>
    (await t.platform.jobs.queueDepths())['event.catalog.category_created.test-listener'] ?? 0;

  it('delivers an event to its subscriber after the write commits', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/categories',
      headers: asAdmin,
      payload: { slug: 'drones', name: 'Drones' },
    });
    expect(response.statusCode).toBe(201);
    await waitFor(async () => received.length === 1);
    expect(received).toEqual([{ slug: 'drones', parentId: null }]);
  });

  it('enqueues nothing when the write is refused', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/categories',
      headers: asAdmin,
      payload: { slug: 'drones', name: 'Drones again' },
    });
    expect(response.statusCode).toBe(409);
    expect(await depth()).toBe(0);
  });

  it('enqueues nothing when the transaction rolls back after publishing', async () => {
    await expect(
      t.platform.database.transaction(async (tx) => {
        await t.app.events.publish(tx, 'catalog.category_created', {
          categoryId: 'x',
          slug: 'ghost',
          parentId: null,
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await depth()).toBe(0);
    expect(received.map((event) => event.slug)).not.toContain('ghost');
  });

  it('publishes many events in one call: each reaches the subscriber once, none after a rollback', async () => {
    await expect(
      t.platform.database.transaction(async (tx) => {
        await t.app.events.publishMany(tx, 'catalog.category_created', [
          { categoryId: 'x', slug: 'ghost-1', parentId: null },
          { categoryId: 'y', slug: 'ghost-2', parentId: null },
        ]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await depth()).toBe(0);

    await t.platform.database.transaction((tx) =>
      t.app.events.publishMany(tx, 'catalog.category_created', [
        { categoryId: 'a', slug: 'bulk-1', parentId: null },
        { categoryId: 'b', slug: 'bulk-2', parentId: 'a' },
        { categoryId: 'c', slug: 'bulk-3', parentId: null },
      ]),
    );
    await waitFor(async () => received.filter((event) => event.slug.startsWith('bulk-')).length === 3);
    expect(
      received.filter((event) => event.slug.startsWith('bulk-')).sort((a, b) => a.slug.localeCompare(b.slug)),
    ).toEqual([
      { slug: 'bulk-1', parentId: null },
      { slug: 'bulk-2', parentId: 'a' },
      { slug: 'bulk-3', parentId: null },
    ]);
    expect(received.map((event) => event.slug)).not.toContain('ghost-1');
  });

  it('names the subscribers of an event', () => {
    expect(t.app.events.subscribers('catalog.category_created')).toEqual(['test-listener']);
    expect(t.app.events.subscribers('catalog.category_deleted')).toEqual([]);
  });
});

describe('jobs', () => {
  const baseUrl = process.env.TEST_DATABASE_URL;
  let dataDir = '';
  let databaseName: string | null = null;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'souk-jobs-'));
    const template = inject('templateDatabase');
    if (baseUrl && template) databaseName = await copyDatabase(baseUrl, template);
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (baseUrl && databaseName) await dropDatabase(baseUrl, databaseName);
  });

  const platformOnSameDatabase = () =>
    createPlatform(
      loadConfig({
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        ...(baseUrl && databaseName ? { DATABASE_URL: urlFor(baseUrl, databaseName) } : {}),
      }),
      { logger: createLogger('silent'), jobPollingIntervalSeconds: 0.5 },
    );

  it('a job sent before a restart is worked after it', async () => {
    const first = await platformOnSameDatabase();
    first.jobs.define('test.greet', async () => {});
    await first.jobs.start({ work: false });
    await first.jobs.send('test.greet', { name: 'Amaya' });
    expect((await first.jobs.queueDepths())['test.greet']).toBe(1);
    await first.close();

    const second = await platformOnSameDatabase();
    const greeted: string[] = [];
    second.jobs.define<{ name: string }>('test.greet', async (data) => {
      greeted.push(data.name);
    });
    second.jobs.schedule('test.greet', '*/5 * * * *', { name: 'cron' });
    await second.jobs.start({ work: true });
    try {
      await waitFor(async () => greeted.length > 0);
      expect(greeted).toEqual(['Amaya']);
      const { rows } = await second.database.executor.executeSql(
        'select name, cron, timezone from pgboss.schedule where name = $1',
        ['test.greet'],
      );
      expect(rows).toEqual([{ name: 'test.greet', cron: '*/5 * * * *', timezone: 'UTC' }]);
    } finally {
      await second.close();
    }
    // Two platforms start one after the other (migrations, pg-boss's schema): on a loaded machine
    // that alone took most of the default 30 s. The test waits on conditions, never on a clock.
  }, 120_000);

  it('refuses to send to a queue nobody defined', async () => {
    const platform = await platformOnSameDatabase();
    await platform.jobs.start({ work: false });
    try {
      await expect(platform.jobs.send('test.nobody', {})).rejects.toThrow(/undefined queue/);
    } finally {
      await platform.close();
    }
  });
});
