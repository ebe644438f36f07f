import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../platform/http/context.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';

let t: TestApp;
let admin: TestUser;
let otherAdmin: TestUser;
let member: TestUser;

type Entry = { seq: number; action: string; actorId: string | null; targetId: string; createdAt: string };
type Page = { items: Entry[]; nextCursor: string | null };

const ctxOf = (who: TestUser): RequestContext => ({
  actor: { userId: who.userId, roles: ['admin'] },
  requestId: `req-${who.userId.slice(0, 8)}`,
  sessionId: null,
});

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signUp({ role: 'admin' });
  otherAdmin = await t.signUp({ role: 'admin' });
  member = await t.signUp();
  const audit = t.app.modules.audit.service;
  const actions: [TestUser, string, string][] = [
    [admin, 'payout.approved', 'p1'],
    [admin, 'payout.rejected', 'p2'],
    [otherAdmin, 'payouts_batch.created', 'b1'],
    [otherAdmin, 'user.role_changed', 'u1'],
    [admin, 'refund.issued', 'r1'],
    [otherAdmin, 'listing.removed', '=HYPERLINK("http://evil")'],
    [admin, 'payout.approved', 'p3'],
  ];
  for (const [who, action, id] of actions) {
    await t.platform.database.transaction((tx) =>
      audit.record(tx, ctxOf(who), {
        action,
        target: { type: action.split('.')[0] ?? 'x', id },
        after: { note: `${action} ${id}` },
      }),
    );
  }
});
afterAll(async () => t?.close());

const list = async (query: string) => {
  const res = await t.call('GET', `/admin/audit?${query}`, admin);
  expect(res.statusCode).toBe(200);
  return res.json() as Page;
};

describe('GET /admin/audit', () => {
  it('is for admins: 401 for visitors, 403 for members, on both routes', async () => {
    for (const url of ['/admin/audit', '/admin/audit/export']) {
      expect((await t.call('GET', url, null)).statusCode).toBe(401);
      const res = await t.call('GET', url, member);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'forbidden' });
    }
  });

  it('lists newest first and filters by actor, action prefix and target', async () => {
    const all = await list('limit=200');
    expect(all.items.map((e) => e.targetId).slice(0, 3)).toEqual(['p3', '=HYPERLINK("http://evil")', 'r1']);

    const mine = await list(`actorId=${otherAdmin.userId}`);
    expect(mine.items.map((e) => e.action)).toEqual([
      'listing.removed',
      'user.role_changed',
      'payouts_batch.created',
    ]);

    // A prefix ends at a dot: `payout` is not `payouts_batch`, and `_` is not a wildcard.
    expect((await list('action=payout')).items.map((e) => e.targetId)).toEqual(['p3', 'p2', 'p1']);
    expect((await list('action=payout.approved')).items.map((e) => e.targetId)).toEqual(['p3', 'p1']);
    expect((await list('action=payout_')).items).toEqual([]);
    expect((await list('targetType=refund&targetId=r1')).items.map((e) => e.action)).toEqual([
      'refund.issued',
    ]);
  });

  it('filters by a date range (from inclusive, to exclusive)', async () => {
    const all = await list('limit=200');
    const newest = all.items[0] as Entry;
    const inRange = await list(`from=${encodeURIComponent(newest.createdAt)}`);
    expect(inRange.items.map((e) => e.seq)).toContain(newest.seq);
    const before = await list(`to=${encodeURIComponent(newest.createdAt)}`);
    expect(before.items.map((e) => e.seq)).not.toContain(newest.seq);
    expect((await list('from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).items).toEqual([]);
  });

  it('pages with a keyset cursor: every entry once, in order; a bad cursor is invalid_cursor', async () => {
    const all = await list('limit=200');
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((e) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((e) => e.seq));

    const filtered = await list('action=payout&limit=2');
    expect(filtered.items.map((e) => e.targetId)).toEqual(['p3', 'p2']);
    const rest = await list(`action=payout&limit=2&cursor=${filtered.nextCursor}`);
    expect(rest.items.map((e) => e.targetId)).toEqual(['p1']);
    expect(rest.nextCursor).toBeNull();

    const bad = await t.call('GET', '/admin/audit?cursor=bm90LWEtY3Vyc29y', admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_cursor' });
  });
});

describe('GET /admin/audit/export', () => {
  it('streams the filtered log as CSV with formulas defused', async () => {
    const res = await t.call('GET', '/admin/audit/export?action=payout', admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = res.body.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'seq,created_at,action,actor_id,actor_role,target_type,target_id,before,after,ip,user_agent,request_id,hash',
    );
    expect(lines.slice(1).map((line) => line.split(',')[2])).toEqual([
      'payout.approved',
      'payout.rejected',
      'payout.approved',
    ]);
    expect(lines[1]).toContain(admin.userId);
    expect(lines[1]).toMatch(/,[0-9a-f]{64}$/);

    const listing = await t.call('GET', '/admin/audit/export?targetType=listing', admin);
    const row = listing.body.trimEnd().split('\n')[1] ?? '';
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});

describe('OpenAPI', () => {
  it('documents both routes under the audit tag', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, { get?: { tags?: string[] } }>;
      tags: { name: string }[];
    };
    expect(spec.paths['/api/v1/admin/audit']?.get?.tags).toContain('audit');
    expect(spec.paths['/api/v1/admin/audit/export']?.get?.tags).toContain('audit');
    expect(spec.tags.map((tag) => tag.name)).toContain('audit');
  });
});
