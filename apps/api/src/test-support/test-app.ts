import type { FastifyRequest } from 'fastify';
import { inject } from 'vitest';
import { type App, type AppOptions, buildApp } from '../app.js';
import { type Config, loadConfig } from '../platform/config.js';
import type { Actor, Role } from '../platform/http/context.js';
import { createPlatform, type Platform } from '../platform/index.js';
import { createLogger } from '../platform/logger.js';
import { copyDatabase, dropDatabase, urlFor } from './postgres.js';

export type TestApp = { app: App; platform: Platform; close(): Promise<void> };

export const TEST_ADMIN_ID = '01900000-0000-7000-8000-00000000ad01';
export const TEST_MEMBER_ID = '01900000-0000-7000-8000-00000000be01';

/**
 * Until the identity module exists, tests say who they are with `x-test-actor: admin|member`.
 * This resolver is only ever passed in tests; the real app has no such header.
 */
export async function testActorResolver(request: FastifyRequest): Promise<Actor | null> {
  const role = request.headers['x-test-actor'];
  if (role === 'admin') return { userId: TEST_ADMIN_ID, roles: ['member', 'admin'] satisfies Role[] };
  if (role === 'member') return { userId: TEST_MEMBER_ID, roles: ['member'] };
  return null;
}

export const asAdmin = { 'x-test-actor': 'admin' } as const;
export const asMember = { 'x-test-actor': 'member' } as const;

/**
 * A whole app on its own clean database: in-memory PGlite by default, or a fresh copy of the
 * migrated PostgreSQL template when TEST_DATABASE_URL is set. One per test file.
 */
export async function createTestApp(
  options: AppOptions & { work?: boolean; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  const template = inject('templateDatabase');
  let databaseName: string | null = null;
  const env: Record<string, string> = { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env };
  if (baseUrl && template) {
    databaseName = await copyDatabase(baseUrl, template);
    env.DATABASE_URL = urlFor(baseUrl, databaseName);
  }
  const config: Config = loadConfig(env);
  const platform = await createPlatform(config, {
    logger: createLogger('silent'),
    pgliteDataDir: 'memory://',
    jobPollingIntervalSeconds: 0.5,
  });
  const app = await buildApp(platform, { webDistDir: null, resolveActor: testActorResolver, ...options });
  await platform.jobs.start({ work: options.work ?? false });
  await app.ready();
  return {
    app,
    platform,
    async close() {
      await app.close();
      await platform.close();
      if (baseUrl && databaseName) await dropDatabase(baseUrl, databaseName);
    },
  };
}
