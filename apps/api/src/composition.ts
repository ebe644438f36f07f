import { type AuditModule, createAuditModule } from './modules/audit/index.js';
import { type AuthEvents, type AuthModule, createAuthModule } from './modules/auth/index.js';
import { type CatalogEvents, type CatalogModule, createCatalogModule } from './modules/catalog/index.js';
import { type CommentsModule, createCommentsModule } from './modules/comments/index.js';
import { type CompareModule, createCompareModule } from './modules/compare/index.js';
import { createFavoritesModule, type FavoritesModule } from './modules/favorites/index.js';
import { createFollowsModule, type FollowsModule } from './modules/follows/index.js';
import { createImportsModule, type ImportsModule } from './modules/imports/index.js';
import { createLedgerModule, type LedgerModule } from './modules/ledger/index.js';
import {
  cleanDescription,
  createListingSearch,
  createListingsModule,
  type ListingEvents,
  type ListingsModule,
} from './modules/listings/index.js';
import {
  createListingImages,
  createMediaModule,
  IMAGE_MAX_BYTES,
  listingHasImages,
  type MediaModule,
  registerMediaJobs,
} from './modules/media/index.js';
import {
  createMessagingModule,
  type MessagingEvents,
  type MessagingModule,
} from './modules/messaging/index.js';
import { createNotificationsModule, type NotificationsModule } from './modules/notifications/index.js';
import {
  createPaymentsModule,
  loadPaymentsSettings,
  type PaymentsEvents,
  type PaymentsModule,
} from './modules/payments/index.js';
import { createReviewsModule, type ReviewsModule } from './modules/reviews/index.js';
import { createSearchModule, type SearchModule } from './modules/search/index.js';
import { createShowcaseModule, type ShowcaseModule } from './modules/showcase/index.js';
import { createUsersDirectory, createUsersModule, type UsersModule } from './modules/users/index.js';
import { createWalletsModule, loadWalletsSettings, type WalletsModule } from './modules/wallets/index.js';
import { createEventBus, type EventBus } from './platform/events.js';
import { createFlowRunner, defineFlowJobs, type FlowRunner } from './platform/flows/index.js';
import { systemContext } from './platform/http/context.js';
import { defineIdempotencyJobs } from './platform/http/idempotency.js';
import type { Platform } from './platform/index.js';
import { visibleListingAuthorizer } from './platform/realtime/index.js';

/** Every event of every module; the bus is typed by it. */
export type AppEvents = CatalogEvents & AuthEvents & ListingEvents & MessagingEvents & PaymentsEvents;

export type AppModules = {
  audit: AuditModule;
  catalog: CatalogModule;
  auth: AuthModule;
  users: UsersModule;
  listings: ListingsModule;
  media: MediaModule;
  messaging: MessagingModule;
  notifications: NotificationsModule;
  imports: ImportsModule;
  search: SearchModule;
  showcase: ShowcaseModule;
  comments: CommentsModule;
  reviews: ReviewsModule;
  follows: FollowsModule;
  favorites: FavoritesModule;
  compare: CompareModule;
  ledger: LedgerModule;
  payments: PaymentsModule;
  wallets: WalletsModule;
};

export type CompositionOptions = {
  /** Test seams of the notifications module (a fake push service, fast retries, a crash hook). */
  notifications?: Partial<
    Pick<
      Parameters<typeof createNotificationsModule>[0],
      'push' | 'sms' | 'deliveryRetryDelaySeconds' | 'staleClaimSeconds' | 'hooks'
    >
  >;
};

/**
 * The composition root: every module, created once, in dependency order. A module receives the
 * services of modules created above it, read when it is created (never through a `() => x`
 * closure), so a dependency on a module further down is a compile error (TS2448, used before its
 * declaration) and, failing that, a start-up error, not a call that works only by line order.
 *
 * Where two modules need each other, one side offers a narrow part that needs no other module
 * and is created first: users' directory (names, avatars, profile creation) for auth, listings
 * and reviews, and media's listing images for listings. The full users and media modules come
 * after the modules they ask (auth, reviews, listings).
 *
 * Event subscriptions are not here: subscriptions.ts is the system's event map.
 */
export async function createModules(
  platform: Platform,
  options: CompositionOptions = {},
): Promise<{ modules: AppModules; events: EventBus<AppEvents>; flows: FlowRunner }> {
  const { config, logger, database, jobs, realtime } = platform;
  const events = createEventBus<AppEvents>(jobs);
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;

  // First: every module that records admin or sensitive actions gets audit.service (decision 039).
  const audit = createAuditModule({ database });
  const catalog = createCatalogModule({ database, events, cache: platform.cache });
  const userDirectory = createUsersDirectory({ database, storage: platform.storage });
  const listingImages = createListingImages({ database, storage: platform.storage });

  const auth = await createAuthModule({
    config,
    database,
    jobs,
    events,
    cache: platform.cache,
    logger,
    profiles: userDirectory,
  });
  const { accounts } = auth.service;
  // Money moves only through the ledger; its daily digests are signed with a key derived from Souk's.
  const ledger = createLedgerModule({
    database,
    jobs,
    logger,
    signingSeed: auth.deriveSecret('ledger.digests'),
  });
  // Card top-ups through the sandbox (default) or Stripe, booked in the ledger (decision 036). Its
  // settings (PAYMENTS_PROVIDER, STRIPE_*) are read by the module; the sandbox signs its webhooks
  // with a key derived from Souk's and delivers them to PUBLIC_URL (any API node behind nginx; a
  // worker serves no HTTP), else this node, unless PAYMENTS_WEBHOOK_URL says otherwise.
  const payments = createPaymentsModule({
    database,
    jobs,
    events,
    ledger: ledger.service,
    logger,
    settings: loadPaymentsSettings(process.env),
    sandboxWebhookSecret: auth.deriveSecret('payments.sandbox.webhook').toString('base64url'),
    localOrigin: publicUrl.replace(/\/$/, ''),
    audit: audit.service,
  });
  // Before wallets: a payout's news reaches its member through notify (issue 18).
  const notifications = createNotificationsModule({
    config,
    database,
    jobs,
    realtime,
    mailer: platform.mailer,
    logger,
    unsubscribeKey: auth.deriveSecret('notifications.unsubscribe'),
    vapidSealKey: auth.deriveSecret('notifications.vapid'),
    recipients: recipientsFrom(accounts, userDirectory),
    ...options.notifications,
  });
  const { notify } = notifications.service;
  // Balances, history, payouts, fees and FX rates over the ledger and payments (decision 037).
  const wallets = createWalletsModule({
    database,
    jobs,
    logger,
    settings: loadWalletsSettings(process.env),
    ports: {
      ledger: ledger.service,
      startTopUp: payments.service.startTopUp,
      payoutProvider: payments.provider,
      notify,
      audit: audit.service,
      members: async (id) => {
        const account = await accounts.get(id);
        return account ? { since: account.createdAt, email: account.email } : null;
      },
      categoryPath: async (id) => {
        const category = await catalog.service.categoryById(id);
        return category ? [category.id, ...category.ancestors.map((level) => level.id).reverse()] : [];
      },
    },
  });
  const requireVerifiedEmail = accounts.requireVerifiedEmail;

  const listings = createListingsModule({
    database,
    events,
    jobs,
    ttlDays: config.LISTING_TTL_DAYS,
    ports: {
      catalog: catalog.service,
      sellers: userDirectory.cardsOf,
      images: listingImages.imagesOf,
      requireVerifiedEmail,
    },
  });
  const media = createMediaModule({
    database,
    storage: platform.storage,
    listingAccess: listings.service.ref,
    logger,
  });
  registerMediaJobs(jobs, media.service);

  const messaging = createMessagingModule({
    database,
    events,
    realtime,
    logger,
    sendsPerMinute: config.MESSAGES_PER_MINUTE,
    ports: {
      listings: (ids) => listings.service.refs(ids, { images: true }),
      users: userDirectory.cardsOf,
      images: media.service,
      // No orders yet: nothing records a sale agreed with a buyer (decision 007).
      saleAgreed: async () => false,
      requireVerifiedEmail,
    },
  });
  const { sessionState } = auth.service;
  realtime.checkSessionsWith(async (sessionId, userId) => (await sessionState(sessionId, userId)).active);
  realtime.authorize('listing', visibleListingAuthorizer(listings.service.ref));

  const imports = createImportsModule({
    database,
    jobs,
    listings: listings.service,
    media: media.service,
    accountExists: async (id) => Boolean(await accounts.get(id)),
    requireVerifiedSeller: (id) => requireVerifiedEmail(id, 'import listings'),
    config: {
      maxFileBytes: config.IMPORT_MAX_FILE_BYTES,
      maxArchiveBytes: config.IMPORT_MAX_ARCHIVE_BYTES,
      publicOrigin: publicUrl.replace(/\/$/, ''),
      fetch: {
        maxBytes: IMAGE_MAX_BYTES,
        timeoutMs: config.IMPORT_FETCH_TIMEOUT_MS,
        maxRedirects: 3,
        allowPrivate: config.IMPORT_ALLOW_PRIVATE_URLS,
      },
    },
    logger,
  });

  const search = createSearchModule({
    database,
    logger,
    jobs,
    publicUrl,
    ports: {
      catalog: {
        subtreeIds: catalog.service.subtreeIds,
        getCategory: (slug) => catalog.service.getCategory(systemContext(), slug).catch(() => null),
        locationPoint: catalog.service.locationPoint,
        allCategoryRefs: catalog.service.allCategoryRefs,
        categoryById: catalog.service.categoryById,
        categoryRefs: catalog.service.categoryRefs,
      },
      listings: {
        search: createListingSearch({ photos: listingHasImages }),
        cardsOf: listings.service.cardsOf,
        isVisibleTo: listings.service.isVisibleTo,
      },
      notify,
    },
  });
  const showcase = createShowcaseModule({
    database,
    realtime,
    logger,
    ports: { listing: listings.service.ref, cards: listings.service.cardsOf, users: userDirectory.cardsOf },
  });
  const comments = createCommentsModule({
    database,
    ports: {
      listing: listings.service.ref,
      users: userDirectory.cardsOf,
      notify,
      cleanText: cleanDescription,
    },
  });
  const reviews = createReviewsModule({
    database,
    ports: {
      users: userDirectory.cardsOf,
      listings: listings.service.refs,
      haveTalked: messaging.service.haveTalked,
      // No orders yet: no review is a verified buyer's until orders record completed sales.
      completedOrder: async () => false,
      notify,
      requireVerifiedEmail,
    },
  });
  const follows = createFollowsModule({
    database,
    logger,
    ports: {
      users: userDirectory.cardsOf,
      category: catalog.service.categoryById,
      subtreeIds: catalog.service.subtreeIds,
      listings: { refsOf: listings.service.refs, feedOf: listings.service.feedOf },
      notify,
    },
  });
  const favorites = createFavoritesModule({
    database,
    ports: {
      listings: { access: listings.service.ref, cardsOf: listings.service.cardsOf },
      displayNameOf: async (id) => (await userDirectory.cardsOf([id])).get(id)?.displayName ?? null,
      notify,
    },
  });
  const compare = createCompareModule({
    database,
    ports: {
      listings: { attributesOf: listings.service.refs, cardsOf: listings.service.cardsOf },
      catalog: { categoryById: catalog.service.categoryById },
    },
  });

  // Last: a profile shows the member's rating (reviews) and listing counts (listings).
  const { ratingsOf } = reviews.service;
  const users = createUsersModule({
    database,
    accounts,
    directory: userDirectory,
    storage: platform.storage,
    locationOf: catalog.service.locationRef,
    sellerRating: async (id) => {
      const rating = (await ratingsOf([id])).get(id);
      return { average: rating?.average ?? null, count: rating?.count ?? 0 };
    },
    listingCounts: listings.service.sellerCounts,
  });

  // Multi-step work across modules (decision 032) and the idempotency keys' cleanup (decision
  // 033). No flow is registered yet: the first ones come with money and orders.
  const flows = createFlowRunner({ database, jobs, logger, flows: [] });
  defineFlowJobs({ jobs, runner: flows });
  defineIdempotencyJobs({ jobs, database, logger });

  return {
    events,
    flows,
    modules: {
      catalog,
      auth,
      users,
      listings,
      media,
      messaging,
      notifications,
      imports,
      search,
      showcase,
      comments,
      reviews,
      follows,
      favorites,
      compare,
      ledger,
      payments,
      wallets,
      audit,
    },
  };
}

/** Who a notification goes to: the account (auth) and the name and phone (users' directory). */
function recipientsFrom(
  accounts: AuthModule['service']['accounts'],
  directory: ReturnType<typeof createUsersDirectory>,
) {
  return async (userId: string) => {
    const account = await accounts.get(userId);
    if (!account) return null;
    const contact = account.status === 'deleted' ? null : await directory.contactOf(userId);
    return {
      email: account.email,
      emailVerified: account.emailVerifiedAt !== null,
      displayName: contact?.displayName ?? '',
      phone: contact?.phone ?? null,
      active: account.status === 'active',
    };
  };
}
