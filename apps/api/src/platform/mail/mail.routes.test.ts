import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { loadConfig } from '../config.js';
import { registerErrorHandling } from '../http/error-handler.js';
import { createLogger } from '../logger.js';
import { createDevMailbox, type DevMailbox } from './dev-mailbox.js';
import { createMailer, servesDevMailbox } from './index.js';
import { devMailboxRoutes } from './mail.routes.js';

// The routes on a small Fastify with the app's compilers and error handling, over a test
// database, so this test does not depend on how app.ts wires the mailer.
let t: TestApp;
let mailbox: DevMailbox;
const app = Fastify().withTypeProvider<ZodTypeProvider>();
beforeAll(async () => {
  t = await createTestApp();
  mailbox = createDevMailbox({ database: t.platform.database, from: 'Souk <no-reply@souk.test>' });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app, () => undefined);
  await app.register(devMailboxRoutes(mailbox), { prefix: '/api/v1' });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('dev mailbox routes', () => {
  it('lists kept mail newest first, pages by cursor, and opens one', async () => {
    for (const n of [1, 2, 3]) {
      await mailbox.send({
        to: `u${n}@example.com`,
        subject: `Mail ${n}`,
        text: `Open https://x.test/${n}`,
        html: '<p>Hi</p>',
      });
    }
    const first = await get('/api/v1/dev/mailbox?limit=2');
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.items.map((item: { subject: string }) => item.subject)).toEqual(['Mail 3', 'Mail 2']);
    expect(Object.keys(page.items[0]).sort()).toEqual(['createdAt', 'from', 'id', 'subject', 'to']);
    const next = await get(`/api/v1/dev/mailbox?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`);
    expect(next.json()).toMatchObject({ items: [{ subject: 'Mail 1' }], nextCursor: null });

    const one = await get(`/api/v1/dev/mailbox/${page.items[0].id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({
      id: page.items[0].id,
      to: 'u3@example.com',
      from: 'Souk <no-reply@souk.test>',
      text: 'Open https://x.test/3',
      html: '<p>Hi</p>',
    });
  });

  it('answers an unknown id with a mail_not_found problem and a malformed one with 400', async () => {
    const missing = await get('/api/v1/dev/mailbox/01900000-0000-7000-8000-0000000000ff');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({ code: 'mail_not_found', status: 404 });
    const malformed = await get('/api/v1/dev/mailbox/not-a-uuid');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'params.id' }] });
  });

  it('refuses a bad cursor and an out-of-range limit with 400', async () => {
    const cursor = await get('/api/v1/dev/mailbox?cursor=garbage');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json()).toMatchObject({ code: 'invalid_cursor' });
    const limit = await get('/api/v1/dev/mailbox?limit=1000');
    expect(limit.statusCode).toBe(400);
    expect(limit.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'querystring.limit' }],
    });
  });

  it('clears the mailbox', async () => {
    const cleared = await app.inject({ method: 'DELETE', url: '/api/v1/dev/mailbox' });
    expect(cleared.statusCode).toBe(204);
    expect(cleared.body).toBe('');
    expect((await get('/api/v1/dev/mailbox')).json()).toEqual({ items: [], nextCursor: null });
  });
});

describe('when the dev mailbox is served', () => {
  const logger = createLogger('silent');
  const mailerWith = (env: Record<string, string>) => {
    const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
    return { config, mailer: createMailer({ config, database: t.platform.database, logger }) };
  };

  it('serves it in development and tests without SMTP, never in production or with SMTP', async () => {
    const dev = mailerWith({ NODE_ENV: 'development' });
    expect(dev.mailer.kind).toBe('dev-mailbox');
    expect(servesDevMailbox(dev.config, dev.mailer)).toBe(true);

    const production = mailerWith({ NODE_ENV: 'production' });
    expect(production.mailer.kind).toBe('dev-mailbox');
    expect(servesDevMailbox(production.config, production.mailer)).toBe(false);

    const smtp = mailerWith({ NODE_ENV: 'development', SMTP_URL: 'smtp://127.0.0.1:2525' });
    expect(smtp.mailer.kind).toBe('smtp');
    expect(servesDevMailbox(smtp.config, smtp.mailer)).toBe(false);
    await smtp.mailer.close();
  });
});

describe('in the app', () => {
  it('is served under /api/v1 when mail is kept, and absent when it goes out through SMTP', async () => {
    const served = await t.app.inject({ method: 'GET', url: '/api/v1/dev/mailbox?limit=1' });
    expect(served.statusCode).toBe(200);
    expect(t.platform.mailer.kind).toBe('dev-mailbox');

    const withSmtp = await createTestApp({ env: { SMTP_URL: 'smtp://127.0.0.1:2525' } });
    try {
      const absent = await withSmtp.app.inject({ method: 'GET', url: '/api/v1/dev/mailbox' });
      expect(absent.statusCode).toBe(404);
      expect(absent.json()).toMatchObject({ code: 'route_not_found' });
    } finally {
      await withSmtp.close();
    }
  });
});
