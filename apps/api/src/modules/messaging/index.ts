import type { Database } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { Logger } from '../../platform/logger.js';
import type { MessagingEvents } from './messaging.events.js';
import { createMessagingRepository } from './messaging.repository.js';
import { messagingRoutes } from './messaging.routes.js';
import { createMessagingService, type MessagingPorts, type RealtimePort } from './messaging.service.js';

export type { MessagingEvents } from './messaging.events.js';
export { detectSafetyWarning } from './messaging.safety.js';
export type { ListingRef, MessagingPorts, MessagingService } from './messaging.service.js';

/**
 * Messaging: one conversation per buyer and listing, started by the buyer's first message; text
 * and photos, read receipts, unread counts, delete-for-me, typing signals, full-text search,
 * blocks, reports with evidence, quick replies, and a safety warning on messages that carry
 * contact details or payment links before a sale.
 *
 * Live updates go through the realtime hub after each write commits: `message.created`,
 * `message.read` and `typing` on `conversation:<id>` (participants only: the module registers
 * that channel's authorizer), `unread.changed` on `user:<id>`. `messaging.message_sent` is a
 * domain event, published in the write's transaction.
 */
export function createMessagingModule(deps: {
  database: Database;
  events: EventPublisher<MessagingEvents>;
  realtime: RealtimePort & {
    authorize(prefix: string, check: (actor: { userId: string }, id: string) => Promise<boolean>): void;
  };
  ports: MessagingPorts;
  /** Messages one member may send per minute (MESSAGES_PER_MINUTE). */
  sendsPerMinute: number;
  logger?: Pick<Logger, 'warn'>;
}) {
  const repository = createMessagingRepository();
  const service = createMessagingService({ ...deps, repository });
  deps.realtime.authorize('conversation', (actor, id) => service.isParticipant(actor.userId, id));
  return { service, routes: messagingRoutes(service, { sendsPerMinute: deps.sendsPerMinute }) };
}

export type MessagingModule = ReturnType<typeof createMessagingModule>;
