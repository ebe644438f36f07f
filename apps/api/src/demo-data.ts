import type { IsoCurrencyCode } from '@souk/contracts';
import type { App } from './app.js';
import {
  attachDemoImages,
  DEMO_LISTING_COUNT,
  type DemoImagesReport,
  type DemoListingsOptions,
  type DemoListingsReport,
  demoSellerEmail,
  mediaDemoImageStore,
  seedDemoListings,
} from './modules/listings/listings.seed.js';
import { seedDemoWallets } from './modules/wallets/wallets.seed.js';
import type { Platform } from './platform/index.js';

/**
 * The demo listings and their sellers for an app (after the catalog's demo data): what the first
 * embedded start and `npm run seed` load. See modules/listings/listings.seed.ts.
 */
export function seedAppDemoListings(
  app: App,
  platform: Platform,
  options: DemoListingsOptions = {},
): Promise<DemoListingsReport> {
  return seedDemoListings(
    {
      database: platform.database,
      catalog: app.modules.catalog.service,
      accounts: app.modules.auth.service,
      ttlDays: platform.config.LISTING_TTL_DAYS,
    },
    options,
  );
}

/** How many of the demo listings (featured and newest first) get two photos; the rest get one. */
const TWO_PHOTOS = 120;

/**
 * Photos for the demo listings, uploaded through the media module as their sellers would.
 * Rendering and re-encoding cost about 0.1 s a photo (some 4 minutes for the demo set on two
 * cores), so the first start runs this in the background once the server listens. `signal`
 * stops it between listings; a later run does the listings that have no photos yet.
 */
export async function attachAppDemoPhotos(
  app: App,
  platform: Platform,
  options: {
    count?: number;
    seed?: number;
    /** Listings rendered at once (default 2; the background run at start-up uses 1). */
    concurrency?: number;
    signal?: AbortSignal;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<DemoImagesReport> {
  const media = app.modules.media.service;
  const deps = {
    database: platform.database,
    catalog: app.modules.catalog.service,
    store: mediaDemoImageStore(media),
    hasImages: async (ids: string[]) => {
      const found = await media.imagesOf(ids);
      return new Set(ids.filter((id) => (found.get(id)?.length ?? 0) > 0));
    },
  };
  const count = options.count ?? DEMO_LISTING_COUNT;
  const common = {
    count,
    seed: options.seed,
    concurrency: options.concurrency,
    signal: options.signal,
    onProgress: options.onProgress,
  };
  const first = await attachDemoImages(deps, { ...common, limit: TWO_PHOTOS, perListing: 2 });
  const rest = await attachDemoImages(deps, { ...common, perListing: 1 });
  return {
    listings: first.listings + rest.listings,
    images: first.images + rest.images,
    skipped: rest.skipped - first.listings,
    seconds: Math.round((first.seconds + rest.seconds) * 100) / 100,
  };
}

/** How many demo sellers (seller01 …) get a wallet history, so the wallet page has something to show. */
const DEMO_WALLET_MEMBERS = 5;

/**
 * Wallet history for the first demo sellers: credits in rupees and dollars from the platform's
 * demo grants and a payout of part of the rupees, requested as the member would (it waits in the
 * new-seller hold). See modules/wallets/wallets.seed.ts; running it twice adds nothing.
 */
export async function seedAppDemoWallets(app: App): Promise<Awaited<ReturnType<typeof seedDemoWallets>>> {
  const wallets = app.modules.wallets.service;
  const ids: string[] = [];
  for (let n = 1; n <= DEMO_WALLET_MEMBERS; n += 1) {
    const id = await app.modules.auth.service.accounts.idOfEmail(demoSellerEmail(n));
    if (id) ids.push(id);
  }
  const requestPayout = async (
    memberId: string,
    amount: { amountMinor: number; currency: IsoCurrencyCode },
  ) => {
    const ctx = {
      actor: { userId: memberId, roles: ['member' as const] },
      sessionId: null,
      requestId: 'demo-seed',
    };
    const method = await wallets.payouts.addMethod(ctx, {
      holderName: 'Demo Seller',
      accountNumber: '00001234567',
      country: 'LK',
    });
    await wallets.payouts.request(ctx, {
      amount,
      methodId: method.id,
      idempotencyKey: `demo-payout-${memberId}`,
    });
  };
  return seedDemoWallets({ ledger: app.modules.ledger.service, requestPayout }, ids);
}
