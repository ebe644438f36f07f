import { z } from 'zod';
import { Id, IsoDateTime, Slug } from './common.js';
import { ItemCondition, ListingKind, ListingSummary } from './listings.js';
import { CurrencyCode } from './money.js';

export const SearchSort = z.enum([
  'relevance',
  'newest',
  'price_asc',
  'price_desc',
  'distance',
  'ending_soon',
]);
export type SearchSort = z.infer<typeof SearchSort>;

/** A comma-separated list in one parameter, or the parameter repeated. */
const listOf = <T extends z.ZodType<string, string>>(item: T, max: number) =>
  z
    .union([z.string().max(2000), z.array(z.string().max(200)).max(max)])
    .transform((value) =>
      (Array.isArray(value) ? value : value.split(','))
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item).min(1).max(max));

const boolParam = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1'),
]);

/**
 * What a search is: the text and every filter, without paging. Saved searches store exactly
 * this. Attribute filters are `attr.<key>` parameters: `attr.make=bmw,audi` (enum values),
 * `attr.year=2015..2020`, `attr.mileageKm=..50000` (numeric ranges), `attr.automatic=true`.
 */
export const SearchFilters = z
  .object({
    q: z.string().max(200, 'the search text is at most 200 characters').optional(),
    category: Slug.optional(),
    priceMin: z.coerce.number().int().min(0).max(1e14).optional().describe('Minor units'),
    priceMax: z.coerce.number().int().min(0).max(1e14).optional().describe('Minor units'),
    currency: CurrencyCode.optional(),
    condition: listOf(ItemCondition, 3).optional(),
    kind: listOf(ListingKind, 3).optional(),
    seller: Id.optional(),
    withPhotos: boolParam.optional(),
    postedWithinDays: z.coerce.number().int().min(1).max(365).optional(),
    location: Id.optional().describe('A city (or region) of the catalog: the centre of a distance search'),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lon: z.coerce.number().min(-180).max(180).optional(),
    radiusKm: z.coerce.number().min(1).max(500, 'the radius is at most 500 km').optional(),
  })
  .catchall(z.union([z.string().max(500), z.array(z.string().max(200)).max(50)]));
export type SearchFilters = z.input<typeof SearchFilters>;

export const SearchQuery = SearchFilters.extend({
  sort: SearchSort.default('relevance'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(500).optional(),
  facets: boolParam.default(true),
});
export type SearchQuery = z.output<typeof SearchQuery>;

export const SearchHit = ListingSummary.extend({
  distanceKm: z.number().nullable().describe('From the searched point, when there is one'),
}).meta({ id: 'SearchHit' });

const Count = z.number().int().min(0);

export const SearchFacets = z
  .object({
    estimated: z
      .boolean()
      .describe(
        'Counts are estimates: above 1,000 results they are counted over a sample and scaled to the total; a browse reads counts kept by a job (docs/decisions/018)',
      ),
    categories: z.array(z.object({ id: Id, slug: z.string(), name: z.string(), count: Count })),
    attributes: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        values: z
          .array(z.object({ value: z.string(), label: z.string(), count: Count }))
          .describe('The most common values, most listings first (at most 50), and any the query chose'),
        otherValues: Count.describe('How many more values have listings but are not in `values`'),
      }),
    ),
    histograms: z.array(
      z.object({
        key: z.string().describe('"price" (minor units) or an attribute key such as "year"'),
        label: z.string(),
        buckets: z.array(z.object({ min: z.number(), max: z.number().nullable(), count: Count })),
      }),
    ),
  })
  .meta({ id: 'SearchFacets' });
export type SearchFacets = z.infer<typeof SearchFacets>;

export const SearchResult = z
  .object({
    items: z.array(SearchHit),
    nextCursor: z.string().nullable(),
    total: Count,
    totalIsEstimate: z.boolean().describe('Above 10,000 results the total is the planner estimate'),
    didYouMean: z.string().nullable().describe('A corrected text when the given one found nothing'),
    facets: SearchFacets.nullable(),
  })
  .meta({ id: 'SearchResult' });
export type SearchResult = z.infer<typeof SearchResult>;

export const SuggestionsQuery = z.object({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});

export const Suggestion = z
  .object({
    type: z.enum(['title', 'category', 'make', 'model']),
    label: z.string(),
    /** The search the suggestion runs: text and/or category and attribute filters. */
    search: z.object({
      q: z.string().optional(),
      category: z.string().optional(),
      attributes: z.record(z.string(), z.string()).optional(),
    }),
  })
  .meta({ id: 'Suggestion' });
export type Suggestion = z.infer<typeof Suggestion>;
export const SuggestionList = z.object({ items: z.array(Suggestion) });

export const SimilarQuery = z.object({ limit: z.coerce.number().int().min(1).max(24).default(8) });
export const ListingCards = z.object({ items: z.array(ListingSummary) });

export const RecentlyViewedBody = z.object({ listingId: Id });

export const AlertFrequency = z.enum(['off', 'instant', 'daily', 'weekly']);
export type AlertFrequency = z.infer<typeof AlertFrequency>;

export const SavedSearch = z
  .object({
    id: Id,
    name: z.string(),
    query: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    alert: AlertFrequency,
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'SavedSearch' });
export type SavedSearch = z.infer<typeof SavedSearch>;

export const CreateSavedSearchBody = z.object({
  name: z.string().trim().min(1).max(80),
  /** The search's parameters as the search endpoint takes them (no sort, cursor or limit). */
  query: z.record(z.string().max(60), z.union([z.string().max(500), z.array(z.string().max(200)).max(50)])),
  alert: AlertFrequency.default('off'),
});
export type CreateSavedSearchBody = z.input<typeof CreateSavedSearchBody>;
export const UpdateSavedSearchBody = z
  .object({ name: z.string().trim().min(1).max(80), alert: AlertFrequency })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'send name or alert');
export const SavedSearchIdParams = z.object({ id: Id });
export const SavedSearchList = z.object({ items: z.array(SavedSearch) });

export const SearchReportQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const SearchReport = z.object({
  items: z.array(z.object({ text: z.string(), searches: Count, lastSearchedAt: IsoDateTime })),
});
