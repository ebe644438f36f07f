import { z } from 'zod';
import { Id, IsoDateTime } from './common.js';
import { ListingSummary } from './listings.js';

/** At most this many listings side by side. */
export const COMPARE_MAX = 4;

export const CompareListingParams = z.object({ listingId: Id });

/** One row of the table: a value per listing (null when a listing does not say), in listing order. */
export const CompareRow = z
  .object({
    key: z.string(),
    label: z.string(),
    unit: z.string().nullable(),
    group: z.enum(['overview', 'attributes']),
    values: z.array(z.string().nullable()),
    differs: z.boolean().describe('The listings do not all say the same'),
  })
  .meta({ id: 'CompareRow' });
export type CompareRow = z.infer<typeof CompareRow>;

export const Comparison = z
  .object({
    topCategory: z.object({ id: Id, slug: z.string(), name: z.string() }).nullable(),
    listings: z.array(ListingSummary),
    rows: z.array(CompareRow),
  })
  .meta({ id: 'Comparison' });
export type Comparison = z.infer<typeof Comparison>;

/** Guests' lists from the browser: ids that are not comparable are skipped, the cap holds. */
export const MergeCompareBody = z.object({ listingIds: z.array(Id).max(20) }).strict();

export const CompareIdsQuery = z.object({
  listingIds: z
    .string()
    .max(COMPARE_MAX * 37 + 10)
    .transform((value) =>
      value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(Id).min(1).max(COMPARE_MAX)),
});

export const CompareShare = z
  .object({ token: z.string(), path: z.string(), expiresAt: IsoDateTime })
  .meta({ id: 'CompareShare' });
export type CompareShare = z.infer<typeof CompareShare>;

export const SharedComparison = Comparison.extend({ expiresAt: IsoDateTime }).meta({
  id: 'SharedComparison',
});
export type SharedComparison = z.infer<typeof SharedComparison>;
