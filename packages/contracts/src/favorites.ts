import { z } from 'zod';
import { Id, IsoDateTime } from './common.js';
import { ListingSummary } from './listings.js';

/** How many listing ids "which of these are my favorites" takes at once (a page of cards). */
export const FAVORITE_IDS_MAX = 100;

export const FavoriteListingParams = z.object({ listingId: Id });

/** One favorite: the listing's card and when it was saved. */
export const Favorite = z
  .object({ listing: ListingSummary, favoritedAt: IsoDateTime })
  .meta({ id: 'Favorite' });
export type Favorite = z.infer<typeof Favorite>;

export const FavoritePage = z
  .object({ items: z.array(Favorite), nextCursor: z.string().nullable() })
  .meta({ id: 'FavoritePage' });
export type FavoritePage = z.infer<typeof FavoritePage>;

export const FavoritesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(24),
  cursor: z.string().max(200).optional(),
});

/** The state of one listing for the caller after an add or a remove. */
export const FavoriteState = z
  .object({
    listingId: Id,
    favorited: z.boolean(),
    count: z.number().int().describe('How many members saved the listing'),
  })
  .meta({ id: 'FavoriteState' });
export type FavoriteState = z.infer<typeof FavoriteState>;

export const FavoriteCount = z
  .object({ listingId: Id, count: z.number().int() })
  .meta({ id: 'FavoriteCount' });
export type FavoriteCount = z.infer<typeof FavoriteCount>;

/** `?listingIds=a,b,c`: comma-separated, at most FAVORITE_IDS_MAX, duplicates allowed and folded. */
export const FavoriteIdsQuery = z.object({
  listingIds: z
    .string()
    .max(FAVORITE_IDS_MAX * 37 + 10)
    .transform((value) =>
      value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(Id).min(1).max(FAVORITE_IDS_MAX)),
});

export const FavoriteIds = z
  .object({ ids: z.array(Id).describe('Those of the asked ids that the caller saved') })
  .meta({ id: 'FavoriteIds' });
export type FavoriteIds = z.infer<typeof FavoriteIds>;

export const ClearedFavorites = z.object({ removed: z.number().int() });

// ---------------------------------------------------------------------------------------------
// Shared wishlists: a read-only link with an expiry
// ---------------------------------------------------------------------------------------------

export const CreateWishlistShareBody = z
  .object({ expiresInDays: z.number().int().min(1).max(365).default(30) })
  .strict();
export type CreateWishlistShareBody = z.input<typeof CreateWishlistShareBody>;

export const WishlistShare = z
  .object({
    id: Id,
    token: z.string(),
    /** The public page's path inside the app (`/wishlists/<token>`). */
    path: z.string(),
    expiresAt: IsoDateTime,
    revokedAt: IsoDateTime.nullable(),
    createdAt: IsoDateTime,
    active: z.boolean(),
  })
  .meta({ id: 'WishlistShare' });
export type WishlistShare = z.infer<typeof WishlistShare>;

export const WishlistShareList = z.object({ items: z.array(WishlistShare) });
export const WishlistShareParams = z.object({ id: Id });
export const ShareTokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });

/** What a shared link shows: the owner's display name and the listing cards, nothing private. */
export const SharedWishlist = z
  .object({
    ownerName: z.string(),
    expiresAt: IsoDateTime,
    items: z.array(ListingSummary),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'SharedWishlist' });
export type SharedWishlist = z.infer<typeof SharedWishlist>;
