import type { AppEvents, AppModules } from './composition.js';
import type { EventBus } from './platform/events.js';
import type { Platform } from './platform/index.js';

/**
 * The system's event map: who listens to what. Each line is a durable subscription (one pg-boss
 * queue per event and subscriber, decision 002), so a slow or failing subscriber retries alone.
 * Registered before the job system starts.
 *
 * | event                    | subscribers                         |
 * |--------------------------|-------------------------------------|
 * | auth.user_registered     | notifications                       |
 * | messaging.message_sent   | notifications                       |
 * | listing.published        | search, follows, showcase           |
 * | listing.unpublished      | showcase                            |
 * | listing.removed          | showcase, favorites                 |
 * | listing.sold             | favorites                           |
 * | listing.expired          | favorites                           |
 * | listing.price_changed    | favorites                           |
 */
export function subscribeModules(
  events: EventBus<AppEvents>,
  modules: AppModules,
  platform: Pick<Platform, 'realtime' | 'logger'>,
): void {
  const { notifications, search, follows, showcase, favorites, imports } = modules;

  events.subscribe('auth.user_registered', 'notifications', (payload) =>
    notifications.service.onUserRegistered(payload),
  );
  events.subscribe('messaging.message_sent', 'notifications', (payload) =>
    notifications.service.onMessageSent(payload),
  );

  events.subscribe('listing.published', 'search', async (payload) => {
    await search.service.onListingPublished(payload);
  });
  events.subscribe('listing.published', 'follows', async (payload) => {
    await follows.service.onListingPublished(payload);
  });
  // The post's mirror of its listing (publicly visible, first publish time) follows the changes
  // that move it: sold, expired and renewed listings stay visible, so those events are not needed.
  for (const event of ['listing.published', 'listing.unpublished', 'listing.removed'] as const) {
    events.subscribe(event, 'showcase', (payload) =>
      showcase.service.onListingChanged(payload.listingId, 'kind' in payload ? payload.kind : undefined),
    );
  }

  for (const kind of ['sold', 'expired', 'removed'] as const) {
    events.subscribe(`listing.${kind}`, 'favorites', async (payload, event) => {
      await favorites.service.onListingEnded(payload, kind, event.occurredAt);
    });
  }
  events.subscribe('listing.price_changed', 'favorites', async (payload, event) => {
    await favorites.service.onPriceChanged(payload, event.occurredAt);
  });

  // Not an event but a live signal (not stored): the import page refetches the job on each one.
  imports.service.onProgressed((event) => {
    platform.realtime
      .signal(`user:${event.sellerId}`, event.type, {
        importId: event.importId,
        status: event.status,
        progress: event.progress,
      })
      .catch((error) =>
        platform.logger.warn({ err: error }, 'import progress did not reach the realtime hub'),
      );
  });
}
