import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../platform/db/database.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createListingSearch, type ListingSearchFilter, type ListingSort } from '../listings/index.js';
import { seedDemoListings } from '../listings/listings.seed.js';
import { listingHasImages } from '../media/index.js';

/**
 * The main search shapes must read indexes, not the whole listings table: each query the search
 * port sends is EXPLAINed on 20,000 generated listings and its plan searched for a sequential
 * scan of `listings`.
 */
const ROWS = 20_000;
let t: TestApp;
const port = createListingSearch({ photos: listingHasImages });
let categoryIds: string[];

beforeAll(async () => {
  t = await createTestApp();
  await t.app.modules.catalog.seedDemoData();
  await seedDemoListings(
    {
      database: t.platform.database,
      catalog: t.app.modules.catalog.service,
      accounts: t.app.modules.auth.service,
      ttlDays: t.platform.config.LISTING_TTL_DAYS,
    },
    { seed: 11, now: new Date(), sellerCount: 20, count: ROWS, batchSize: 1000 },
  );
  // As autovacuum leaves a table in service: the text index's pending list merged and the
  // visibility map set. Fresh inserts left the GIN index with ~800 cost units of pending list,
  // which brought a bitmap scan for "toyota" (1,010 of 20,000 rows) within 4 % of a sequential
  // scan, and one CI run planned the sequential scan; after the vacuum the margin is 46 %.
  await t.platform.database.db.execute(sql`vacuum analyze`);
  categoryIds = (await t.app.modules.catalog.service.subtreeIds('cars')) ?? [];
}, 300_000);
afterAll(() => t.close());

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Order By'?: string;
  Plans?: PlanNode[];
};

/** Runs `work` against a database that EXPLAINs every statement instead of running it. */
async function plansOf(work: (db: Queryable) => Promise<unknown>): Promise<PlanNode[]> {
  const plans: PlanNode[] = [];
  const real = t.platform.database.db;
  const explaining = {
    async execute(query: SQL) {
      type Explained = { rows: { 'QUERY PLAN': unknown }[] };
      let result: Explained;
      try {
        result = (await real.execute(sql`explain (format json) ${query}`)) as unknown as Explained;
      } catch {
        // The port's own EXPLAINs (estimates) cannot be explained again: run them as they are,
        // and answer with their result, which the port reads to choose what to send next.
        result = (await real.execute(query)) as unknown as Explained;
        const raw = result.rows[0]?.['QUERY PLAN'];
        const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
        plans.push(parsed[0].Plan);
        return result;
      }
      const raw = result.rows[0]?.['QUERY PLAN'];
      const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
      plans.push(parsed[0].Plan);
      return { rows: [] };
    },
  } as unknown as Queryable;
  await work(explaining);
  return plans;
}

function seqScans(node: PlanNode): string[] {
  const own = node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'listings' ? ['listings'] : [];
  return [...own, ...(node.Plans ?? []).flatMap(seqScans)];
}

function describePlan(node: PlanNode, depth = 0): string {
  const line = `${'  '.repeat(depth)}${node['Node Type']}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}`;
  return [line, ...(node.Plans ?? []).map((child) => describePlan(child, depth + 1))].join('\n');
}

const COLOMBO = { latitude: 6.927079, longitude: 79.861244 };
const demoId = '01900000-0000-7000-8000-000000000000';

describe('search shapes on 20,000 listings read indexes', () => {
  const shapes: [string, () => ListingSearchFilter, ListingSort][] = [
    ['text', () => ({ text: 'toyota' }), 'relevance'],
    ['text, newest', () => ({ text: 'laptop' }), 'newest'],
    [
      'text and filters',
      () => ({ text: 'hybrid', categoryIds, priceMax: 10_000_000_00, conditions: ['used'] }),
      'relevance',
    ],
    [
      'filters only: category and attributes',
      () => ({
        categoryIds,
        attributes: [
          { key: 'make', kind: 'values', values: ['toyota', 'honda'], multi: false },
          { key: 'year', kind: 'range', min: 2015, max: 2020, integer: true },
        ],
      }),
      'newest',
    ],
    ['filters only: category, price ascending', () => ({ categoryIds }), 'price_asc'],
    ['distance', () => ({ near: { ...COLOMBO, radiusKm: 10 } }), 'distance'],
    ['everything, newest', () => ({}), 'newest'],
    ['everything, cheapest', () => ({}), 'price_desc'],
  ];

  it.each(shapes)('%s: page, count and facets', async (_name, filter, sort) => {
    const plans = await plansOf(async (db) => {
      await port.page(db, filter(), sort, 21);
      if (Object.keys(filter()).length > 0) {
        await port.count(db, filter(), 10_000);
        await port.facets(db, filter(), {
          enums: [{ key: 'make', multi: false }],
          histograms: [{ name: 'price', key: null, bounds: [0, 1000, 10000] }],
          sample: 10_000,
        });
        await port.countedFacets(db, filter(), 10_000, {
          enums: [],
          histograms: [{ name: 'price', key: null, bounds: [0, 1000, 10000] }],
          sample: 1000,
        });
      }
    });
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) expect(seqScans(plan), describePlan(plan)).toEqual([]);
  });

  it('relevance over a broad text: the window start and the ranked window read indexes', async () => {
    const window = new Date(Date.now() - 86_400_000).toISOString();
    const plans = await plansOf(async (db) => {
      // As if the text matched far more listings than the window holds: the start is looked up.
      await port.relevanceWindow(db, 100_000_000);
      for (const filter of [{ text: 'toyota' }, { text: 'hybrid', categoryIds, conditions: ['used'] }]) {
        await port.page(db, filter, 'relevance', 21, undefined, window);
        await port.page(db, filter, 'relevance', 21, { key: 0.1, id: demoId, window, phase: 1 }, window);
        await port.page(
          db,
          filter,
          'relevance',
          21,
          { key: new Date().toISOString(), id: demoId, window, phase: 2 },
          window,
        );
        await port.facets(db, filter, {
          enums: [],
          histograms: [{ name: 'price', key: null, bounds: [0, 1000, 10000] }],
          sample: 1000,
          window,
        });
        await port.rankedWindow(db, filter, window, 21, {
          enums: [{ key: 'make', multi: false }],
          histograms: [{ name: 'price', key: null, bounds: [0, 1000, 10000] }],
          sample: 1000,
        });
      }
    });
    // The estimate, the window's start, then per filter: ranked (1), ranked then older (2), older
    // (1), facets, and page, facets and count in one.
    expect(plans.length).toBeGreaterThanOrEqual(12);
    for (const plan of plans) expect(seqScans(plan), describePlan(plan)).toEqual([]);
  });

  it('pages through a relevance window: ranked window first, then older matches newest first, no repeats', async () => {
    const db = t.platform.database.db;
    const filter = { text: 'toyota' };
    const expected = await port.estimate(db, filter);
    expect(expected).toBeGreaterThan(100);
    // A window start inside the matches, as relevanceWindow would pick for a broader text.
    const window = await port.relevanceWindow(db, expected * 40);
    expect(window).not.toBeNull();
    const seen: string[] = [];
    const phases: number[] = [];
    let after: Parameters<typeof port.page>[4];
    let previous: { phase: number; key: number | string | null } | null = null;
    for (let pageNumber = 0; pageNumber < 200; pageNumber++) {
      const hits = await port.page(db, filter, 'relevance', 50, after, window);
      for (const hit of hits) {
        const phase = hit.phase ?? 0;
        if (previous && previous.phase === phase) {
          // Ranked descending in the window; newest first after it.
          if (phase === 1) expect(Number(hit.key)).toBeLessThanOrEqual(Number(previous.key));
          else expect(Date.parse(String(hit.key))).toBeLessThanOrEqual(Date.parse(String(previous.key)));
        } else if (previous) expect([previous.phase, phase]).toEqual([1, 2]);
        previous = { phase, key: hit.key };
        seen.push(hit.id);
        phases.push(phase);
      }
      const last = hits.at(-1);
      if (hits.length < 50 || !last) break;
      after = { key: last.key, id: last.id, window: window ?? undefined, phase: last.phase };
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(phases).toContain(1);
    expect(phases).toContain(2);
    const { total } = await port.count(db, filter, 1_000_000);
    expect(seen).toHaveLength(total);

    // The first page in one statement: the same ranked rows, facets and window count as reading
    // them apart, and the older matches after them.
    const spec = {
      enums: [{ key: 'make', multi: false }],
      histograms: [{ name: 'price', key: null, bounds: [0, 1000, 10000, 100000] }],
    };
    const ranked = await port.rankedWindow(db, filter, window as string, 50, { ...spec, sample: 1000 });
    const inWindow = seen.filter((_id, index) => phases[index] === 1);
    expect(ranked.hits.map((hit) => hit.id)).toEqual(inWindow.slice(0, 50));
    expect(ranked.inWindow).toBe(inWindow.length);
    const byFacet = (rows: { facet: string; value: string | null; count: number }[]) =>
      rows.map((row) => `${row.facet}=${row.value}:${row.count}`).sort();
    expect(byFacet(ranked.facets)).toEqual(
      byFacet(await port.facets(db, filter, { ...spec, sample: 1000, window })),
    );
    const older = await port.page(db, filter, 'relevance', 5, undefined, window, { olderOnly: true });
    expect(older.map((hit) => hit.id)).toEqual(seen.filter((_id, index) => phases[index] === 2).slice(0, 5));
  });

  it('counts and samples facets around a point in one read of the point index alone', async () => {
    const db = t.platform.database.db;
    const filter = { near: { ...COLOMBO, radiusKm: 50 } };
    const spec = { enums: [], histograms: [{ name: 'price', key: null, bounds: [0, 1000, 10000, 100000] }] };
    const both = await port.countedFacets(db, filter, 10_000, { ...spec, sample: 1000 });
    expect(both.counted).toBe((await port.count(db, filter, 10_000)).total);
    expect(both.counted).toBeGreaterThan(0);
    // The chord test of the radius keeps exactly the listings the great-circle distance keeps.
    for (const radiusKm of [1, 5, 20, 50, 300]) {
      const [row] = (
        (await db.execute(sql`
          select count(*)::int as n from listings l
          where l.status = 'active' and l.deleted_at is null
            and earth_distance(ll_to_earth(${COLOMBO.latitude}::float8, ${COLOMBO.longitude}::float8),
              ll_to_earth(l.latitude, l.longitude)) <= ${radiusKm * 1000}::float8`)) as unknown as {
          rows: { n: number }[];
        }
      ).rows;
      const near = { ...COLOMBO, radiusKm };
      expect((await port.count(db, { near }, 1_000_000)).total, `${radiusKm} km`).toBe(row?.n);
    }
    const byFacet = (rows: { facet: string; value: string | null; count: number }[]) =>
      rows.map((row) => `${row.facet}=${row.value}:${row.count}`).sort();
    expect(byFacet(both.facets)).toEqual(byFacet(await port.facets(db, filter, { ...spec, sample: 1000 })));
    // A cap below the matches stops counting at cap + 1.
    expect((await port.countedFacets(db, filter, 2, { ...spec, sample: 1 })).counted).toBe(3);
    const plans = await plansOf((db) => port.countedFacets(db, filter, 10_000, { ...spec, sample: 1000 }));
    const heapReads = (node: PlanNode): string[] => [
      ...(node['Node Type'] === 'Index Scan' || node['Node Type'] === 'Bitmap Heap Scan'
        ? [node['Node Type']]
        : []),
      ...(node.Plans ?? []).flatMap(heapReads),
    ];
    for (const plan of plans) {
      expect(seqScans(plan), describePlan(plan)).toEqual([]);
      expect(heapReads(plan), describePlan(plan)).toEqual([]);
    }
  });

  it('distance pages read the point index nearest first instead of sorting the radius', async () => {
    const plans = await plansOf((db) =>
      port.page(db, { near: { ...COLOMBO, radiusKm: 50 } }, 'distance', 21),
    );
    const ordered = (node: PlanNode): boolean =>
      (node['Order By'] !== undefined && node['Index Name'] === 'listings_search_earth_cover_idx') ||
      (node.Plans ?? []).some(ordered);
    expect(plans).toHaveLength(1);
    expect(ordered(plans[0] as PlanNode), describePlan(plans[0] as PlanNode)).toBe(true);
  });

  it('the check does see a sequential scan when a query makes one', async () => {
    const plans = await plansOf((db) =>
      db.execute(sql`select count(*) from listings where description like '%x%'`),
    );
    expect(plans.flatMap(seqScans)).toEqual(['listings']);
  });

  it('suggestions and did-you-mean read the trigram and prefix indexes', async () => {
    const plans = await plansOf(async (db) => {
      await port.titles(db, 'toy', 8);
      await port.closestWords(db, 'toyotta');
    });
    for (const plan of plans) expect(seqScans(plan), describePlan(plan)).toEqual([]);
  });
});

describe('estimates that decide whether to count', () => {
  it('reads the share of listings published since a time from the histogram', async () => {
    const db = t.platform.database.db;
    const [row] = (
      (await db.execute(sql`
        select min(published_at) as oldest, count(*)::int as n,
          count(*) filter (where published_at >= (select percentile_disc(0.75) within group (order by published_at)
            from listings where status = 'active' and deleted_at is null))::int as newest_quarter,
          (select percentile_disc(0.75) within group (order by published_at)
            from listings where status = 'active' and deleted_at is null) as since
        from listings where status = 'active' and deleted_at is null`)) as unknown as {
        rows: { oldest: Date | string; n: number; newest_quarter: number; since: Date | string }[];
      }
    ).rows;
    if (!row) throw new Error('no listings');
    expect(await port.publishedShare(db, new Date(row.oldest).toISOString())).toBeCloseTo(1, 1);
    const share = await port.publishedShare(db, new Date(row.since).toISOString());
    // The histogram has 100 buckets: its share is within a few per cent of the real one.
    expect(share).not.toBeNull();
    expect(Math.abs((share as number) - row.newest_quarter / row.n)).toBeLessThan(0.05);
    expect(await port.publishedShare(db, new Date(Date.now() + 86_400_000).toISOString())).toBeNull();
  });

  it('estimates a price range from its statistics instead of a fixed 0.5 %', async () => {
    const db = t.platform.database.db;
    const filter: ListingSearchFilter = { priceMin: 0, priceMax: 10 ** 15 };
    const [row] = (
      (await db.execute(
        sql`select count(*)::int as n from listings where status = 'active' and deleted_at is null`,
      )) as unknown as { rows: { n: number }[] }
    ).rows;
    const expected = await port.estimate(db, filter);
    // Every listing has a price in the range: the estimate is near the count, not 0.5 % of it.
    expect(expected).toBeGreaterThan((row?.n ?? 0) * 0.5);
  });
});
