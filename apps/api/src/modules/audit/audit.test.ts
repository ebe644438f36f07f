import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../platform/http/context.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import type { AuditModule } from './index.js';

let t: TestApp;
let audit: AuditModule;
let admin: TestUser;
let member: TestUser;

const ctxOf = (who: TestUser, roles: ('admin' | 'member')[] = ['admin']): RequestContext => ({
  actor: { userId: who.userId, roles },
  requestId: 'req-test',
  sessionId: null,
});

beforeAll(async () => {
  t = await createTestApp();
  audit = t.app.modules.audit;
  admin = await t.signUp({ role: 'admin' });
  member = await t.signUp();
});
afterAll(async () => t?.close());

const record = (
  ctx: RequestContext,
  action: string,
  target: { type: string; id: string },
  extra: { before?: unknown; after?: unknown } = {},
) => t.platform.database.transaction((tx) => audit.service.record(tx, ctx, { action, target, ...extra }));

type Page = {
  items: { id: string; action: string; targetId: string; seq: number }[];
  nextCursor: string | null;
};

describe('recording', () => {
  it('commits with the transaction, and a rolled-back transaction leaves nothing', async () => {
    const marker = `rollback-${Date.now()}`;
    const failed = await t.platform.database
      .transaction(async (tx) => {
        await audit.service.record(tx, ctxOf(admin), {
          action: 'user.role_changed',
          target: { type: 'user', id: marker },
        });
        throw new Error('the change failed');
      })
      .catch((e: Error) => e.message);
    expect(failed).toBe('the change failed');
    const none = await t.call('GET', `/admin/audit?targetType=user&targetId=${marker}`, admin);
    expect((none.json() as Page).items).toEqual([]);

    await record(ctxOf(admin), 'user.role_changed', { type: 'user', id: marker });
    const one = await t.call('GET', `/admin/audit?targetType=user&targetId=${marker}`, admin);
    expect((one.json() as Page).items.map((e) => e.action)).toEqual(['user.role_changed']);
  });

  it('stores who, what, before/after with secrets redacted, the request id and a content hash', async () => {
    await record(
      ctxOf(admin),
      'payout.approved',
      { type: 'payout', id: 'p-redact' },
      {
        before: { status: 'requested', iban: 'LK00 1234', nested: { password: 'hunter2', ok: 1 } },
        after: { status: 'approved', tokens: ['a'], note: undefined },
      },
    );
    const res = await t.call('GET', '/admin/audit?targetType=payout&targetId=p-redact', admin);
    const [entry] = (res.json() as { items: Record<string, unknown>[] }).items;
    expect(entry).toMatchObject({
      action: 'payout.approved',
      actorId: admin.userId,
      actorRole: 'admin',
      targetType: 'payout',
      targetId: 'p-redact',
      before: { status: 'requested', iban: '[redacted]', nested: { password: '[redacted]', ok: 1 } },
      after: { status: 'approved', tokens: '[redacted]' },
      requestId: 'req-test',
    });
    expect(entry?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(entry)).not.toContain('hunter2');
  });

  it('records the origin a route passes and refuses an action name that is not dotted', async () => {
    await t.platform.database.transaction((tx) =>
      audit.service.record(tx, ctxOf(member, ['member']), {
        action: 'member.phone_changed',
        target: { type: 'user', id: member.userId },
        origin: { ip: '203.0.113.9', userAgent: 'Firefox' },
      }),
    );
    const res = await t.call('GET', `/admin/audit?actorId=${member.userId}`, admin);
    expect((res.json() as { items: Record<string, unknown>[] }).items[0]).toMatchObject({
      actorRole: 'member',
      ip: '203.0.113.9',
      userAgent: 'Firefox',
    });
    await expect(record(ctxOf(admin), 'Payout Approved', { type: 'payout', id: 'x' })).rejects.toThrow(
      /dotted/,
    );
  });
});

describe('the database keeps it append-only', () => {
  const refused = (statement: ReturnType<typeof sql>) =>
    t.platform.database
      .transaction((tx) => tx.execute(statement))
      .then(
        () => 'allowed',
        // drizzle wraps the driver's error: the database's own message is the cause's.
        (e: { message?: string; cause?: { message?: string } }) => `${e.message} ${e.cause?.message}`,
      );

  it('refuses UPDATE, DELETE and TRUNCATE from the role the app connects as', async () => {
    await record(ctxOf(admin), 'listing.removed', { type: 'listing', id: 'l-locked' });
    const update = sql`update audit_entries set action = 'x.y' where target_id = 'l-locked'`;
    expect(await refused(update)).toMatch(/append-only/);
    expect(await refused(sql`delete from audit_entries where target_id = 'l-locked'`)).toMatch(/append-only/);
    expect(await refused(sql`truncate audit_entries`)).toMatch(/append-only/);
    const still = await t.call('GET', '/admin/audit?targetType=listing&targetId=l-locked', admin);
    expect((still.json() as Page).items).toHaveLength(1);
    expect((await audit.service.verify()).ok).toBe(true);
  });

  it('verification finds an entry changed behind the triggers', async () => {
    // Simulates someone with the rights to switch triggers off: the content hash gives it away.
    await record(ctxOf(admin), 'kyc.approved', { type: 'kyc', id: 'k-tampered' });
    await t.platform.database.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`update audit_entries set action = 'kyc.rejected' where target_id = 'k-tampered'`);
    });
    const result = await audit.service.verify();
    expect(result.ok).toBe(false);
    expect(result.mismatched).toHaveLength(1);
  });
});
