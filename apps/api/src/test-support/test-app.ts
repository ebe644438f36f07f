import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { type App, type AppOptions, buildApp } from '../app.js';
import { type Config, loadConfig } from '../platform/config.js';
import { type Role, systemContext } from '../platform/http/context.js';
import { createPlatform, type Platform } from '../platform/index.js';
import { createLogger } from '../platform/logger.js';
import { copyDatabase, dropDatabase, urlFor } from './postgres.js';

export type TestUser = {
  userId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** `authorization: Bearer …` for app.inject. */
  headers: Record<string, string>;
};

export type TestApp = {
  app: App;
  platform: Platform;
  /**
   * Creates an account (an admin with `role: 'admin'`) and signs it in with tokens. Its address
   * is confirmed, as publishing, messaging and reviewing need, unless `verified: false`.
   */
  signUp(options?: {
    role?: Extract<Role, 'member' | 'admin'>;
    email?: string;
    password?: string;
    displayName?: string;
    verified?: boolean;
  }): Promise<TestUser>;
  /**
   * One API call through `app.inject`: `url` is under `/api/v1`, `who` signs it (or `null` for a
   * visitor), `body` is sent as JSON. The one HTTP helper of the test suite.
   */
  call(
    method: HttpMethod,
    url: string,
    who: TestUser | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let userCounter = 0;

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
  // Keys, media and (for PGlite) nothing else land in a folder of this test file's own.
  const dataDir = mkdtempSync(join(tmpdir(), 'souk-test-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    ...options.env,
  };
  if (baseUrl && template) {
    databaseName = await copyDatabase(baseUrl, template);
    env.DATABASE_URL = urlFor(baseUrl, databaseName);
  }
  const config: Config = loadConfig(env);
  const platform = await createPlatform(config, {
    logger: createLogger((process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent'),
    pgliteDataDir: 'memory://',
    jobPollingIntervalSeconds: 0.5,
  });
  const app = await buildApp(platform, { webDistDir: null, ...options });
  await platform.jobs.start({ work: options.work ?? false });
  await app.ready();
  const auth = app.modules.auth.service;
  return {
    app,
    platform,
    async signUp({
      role = 'member',
      email,
      password = 'correct horse battery staple',
      displayName = 'Test user',
      verified = true,
    } = {}) {
      userCounter += 1;
      const address = email ?? `user${userCounter}-${process.pid}@example.test`;
      if (role !== 'member') {
        await auth.ensureAdmin({ email: address, password, displayName });
      } else {
        await auth.register(
          systemContext(),
          { email: address, password, displayName },
          { ipAddress: null, userAgent: 'test' },
        );
      }
      const id = await auth.accounts.idOfEmail(address);
      if (verified && id) await auth.accounts.markEmailVerified(id);
      const session = await auth.login(
        systemContext(),
        { email: address, password },
        { ipAddress: '127.0.0.1', userAgent: 'vitest' },
      );
      if (session.status !== 'signed_in') throw new Error('test users have no second factor');
      return {
        userId: session.user.id,
        email: address,
        password,
        accessToken: session.accessToken,
        refreshToken: session.refreshToken,
        headers: { authorization: `Bearer ${session.accessToken}` },
      };
    },
    call: apiCaller(app),
    async close() {
      await app.close();
      await platform.close();
      if (baseUrl && databaseName) await dropDatabase(baseUrl, databaseName);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `t.call` for an app built some other way (a restored backup, a faults-suite node). */
export function apiCaller(app: App): TestApp['call'] {
  return (method, url, who, body, headers = {}) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...(who ? who.headers : {}), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
}
