import { z } from 'zod';
import { Id, IsoDateTime } from './common.js';
import { CurrencyCode } from './money.js';

export const ListingKind = z.enum(['classified', 'auction', 'showcase']);
export type ListingKind = z.infer<typeof ListingKind>;
export const ListingStatus = z.enum(['draft', 'active', 'sold', 'expired', 'removed']);
export type ListingStatus = z.infer<typeof ListingStatus>;
export const PriceType = z.enum(['fixed', 'negotiable', 'free']);
export const ItemCondition = z.enum(['new', 'used', 'refurbished']);

/** Money in minor units: an integer, never a float. */
export const MinorUnits = z
  .number()
  .int('send the amount in minor units (cents) as a whole number')
  .min(0, 'must not be negative')
  .max(1_000_000_000_000_00, 'is too large');

export const Price = z
  .object({
    type: PriceType,
    amount: MinorUnits.nullable().describe('Minor units; null when the item is free'),
    currency: CurrencyCode.nullable(),
  })
  .meta({ id: 'Price' });
export type Price = z.infer<typeof Price>;

export const PriceInput = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('fixed'), amount: MinorUnits, currency: CurrencyCode }),
    z.object({
      type: z.literal('negotiable'),
      amount: MinorUnits.nullable().default(null),
      currency: CurrencyCode,
    }),
    z.object({ type: z.literal('free') }),
  ])
  .describe('fixed and negotiable carry a currency; free carries nothing');
export type PriceInput = z.input<typeof PriceInput>;

export const ContactPreferences = z
  .object({
    messages: z.boolean().default(true),
    phone: z.boolean().default(false),
    offers: z.boolean().default(true),
  })
  .meta({ id: 'ContactPreferences' });

/** Attribute values keyed by attribute key; checked against the category's resolved schema. */
export const AttributeValues = z.record(
  z.string().max(40),
  z.union([z.string().max(5000), z.number().finite(), z.boolean(), z.array(z.string().max(80)).max(100)]),
);
export type AttributeValues = z.infer<typeof AttributeValues>;

export const Coordinates = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

export const ListingImage = z
  .object({
    id: Id,
    position: z.number().int(),
    primary: z.boolean(),
    width: z.number().int(),
    height: z.number().int(),
    placeholder: z.string().describe('A tiny blurred data: URI to show while loading'),
    variants: z.array(z.object({ width: z.number().int(), url: z.string() })),
  })
  .meta({ id: 'ListingImage' });
export type ListingImage = z.infer<typeof ListingImage>;

const listingCore = {
  id: Id,
  kind: ListingKind,
  status: ListingStatus,
  title: z.string(),
  /** Null on a draft that has no price yet. */
  price: Price.nullable(),
  condition: ItemCondition.nullable(),
  category: z.object({ id: Id, slug: z.string(), name: z.string() }),
  location: z.object({ id: Id, name: z.string(), countryCode: z.string() }).nullable(),
  primaryImage: ListingImage.nullable(),
  publishedAt: IsoDateTime.nullable(),
  featured: z.boolean(),
  viewCount: z.number().int(),
};

export const ListingSummary = z
  .object({
    ...listingCore,
    cardAttributes: z.array(z.object({ key: z.string(), label: z.string(), value: z.string() })),
  })
  .meta({ id: 'ListingSummary' });
export type ListingSummary = z.infer<typeof ListingSummary>;

export const Listing = z
  .object({
    ...listingCore,
    description: z.string(),
    quantity: z.number().int(),
    attributes: AttributeValues,
    features: z.array(z.string()),
    contact: ContactPreferences,
    /** Public: rounded to about a kilometre. The owner sees the exact point. */
    coordinates: Coordinates.nullable(),
    images: z.array(ListingImage),
    seller: z.object({
      id: Id,
      displayName: z.string(),
      avatarUrl: z.string().nullable(),
      memberSince: IsoDateTime,
    }),
    expiresAt: IsoDateTime.nullable(),
    featuredFrom: IsoDateTime.nullable(),
    featuredUntil: IsoDateTime.nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Listing' });
export type Listing = z.infer<typeof Listing>;

const editable = {
  title: z.string().trim().min(3).max(120),
  description: z.string().max(10_000),
  price: PriceInput,
  condition: ItemCondition.nullable(),
  quantity: z.number().int().min(0).max(100_000),
  locationId: Id.nullable(),
  coordinates: Coordinates.nullable(),
  attributes: AttributeValues,
  features: z.array(z.string().trim().min(1).max(80)).max(50),
  contact: ContactPreferences,
};

export const CreateListingBody = z
  .object({
    kind: ListingKind.default('classified'),
    categoryId: Id,
    title: editable.title,
    description: editable.description.default(''),
    price: PriceInput.optional(),
    condition: editable.condition.optional(),
    quantity: editable.quantity.default(1),
    locationId: editable.locationId.optional(),
    coordinates: editable.coordinates.optional(),
    attributes: editable.attributes.default({}),
    features: editable.features.default([]),
    contact: ContactPreferences.optional(),
  })
  .strict()
  .describe('Creates a draft; publish it when it is complete');
export type CreateListingBody = z.input<typeof CreateListingBody>;

export const UpdateListingBody = z
  .object({ ...editable, categoryId: Id })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'send at least one field to change')
  .describe('The status changes only through publish, unpublish, sold, renew and delete');
export type UpdateListingBody = z.input<typeof UpdateListingBody>;

export const ListingsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  category: z.string().max(80).optional().describe('Category slug; includes its subcategories'),
  seller: Id.optional(),
  kind: ListingKind.optional(),
  status: ListingStatus.optional().describe('Only with seller=<you>: your drafts, sold, expired...'),
});

export const ListingPage = z.object({ items: z.array(ListingSummary), nextCursor: z.string().nullable() });
export type ListingPage = z.infer<typeof ListingPage>;

export const MyListings = ListingPage.extend({
  counts: z.record(ListingStatus, z.number().int()),
});
export type MyListings = z.infer<typeof MyListings>;
export const MyListingsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  status: ListingStatus.optional(),
});

export const ListingIdParams = z.object({ id: Id });
export const FeatureListingBody = z
  .object({ from: z.iso.datetime({ offset: true }), until: z.iso.datetime({ offset: true }) })
  .refine((body) => new Date(body.until) > new Date(body.from), {
    message: 'until must be after from',
    path: ['until'],
  });
export const ReorderImagesBody = z.object({ imageIds: z.array(Id).min(1).max(20) });
