import type {
  FieldError,
  NotificationPreferences,
  PushSubscriptionBody,
  UnsubscribeResult,
  UpdateNotificationPreferencesBody,
} from '@souk/contracts';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { notificationError } from './notifications.errors.js';
import { isAllowedPushEndpoint } from './notifications.push.js';
import type { NotificationsDeps } from './notifications.service.js';
import {
  type Channel,
  effectiveMatrix,
  NOTIFICATION_TYPES,
  type NotificationType,
} from './notifications.types.js';
import { kindsInfo, storedPreferences } from './notifications.views.js';

const SIGN_IN = 'This endpoint needs a signed-in user.';

/** What a member chose: channels per type, the digest rhythm, one-click unsubscribes, push devices. */
export function createNotificationSettings(
  deps: Pick<NotificationsDeps, 'database' | 'repository' | 'tokens' | 'vapidKeys' | 'config'>,
) {
  const { database, repository, config } = deps;
  return {
    async getPreferences(ctx: RequestContext): Promise<NotificationPreferences> {
      const stored = await storedPreferences(repository, database.db, requireUser(ctx, SIGN_IN));
      return { matrix: effectiveMatrix(stored.matrix), digest: stored.digest, kinds: kindsInfo() };
    },

    async updatePreferences(
      ctx: RequestContext,
      input: UpdateNotificationPreferencesBody,
    ): Promise<NotificationPreferences> {
      const userId = requireUser(ctx, SIGN_IN);
      const errors: FieldError[] = [];
      for (const [type, row] of Object.entries(input.matrix ?? {})) {
        const supported = NOTIFICATION_TYPES[type as NotificationType].channels;
        for (const channel of Object.keys(row ?? {})) {
          if (!supported.includes(channel as Channel)) {
            errors.push({
              path: `body.matrix.${type}.${channel}`,
              message: `${type} does not go by ${channel}`,
            });
          }
        }
      }
      if (errors.length > 0)
        throw notificationError('invalid_preferences', 'Some channels do not exist for their type.', errors);
      await database.transaction(async (tx) => {
        const stored = await storedPreferences(repository, tx, userId);
        const matrix: Record<string, Record<string, boolean>> = {
          ...(stored.matrix as Record<string, Record<string, boolean>>),
        };
        for (const [type, row] of Object.entries(input.matrix ?? {}))
          matrix[type] = { ...matrix[type], ...row };
        await repository.savePreferences(tx, userId, { matrix, digest: input.digest ?? stored.digest });
      });
      const stored = await storedPreferences(repository, database.db, userId);
      return { matrix: effectiveMatrix(stored.matrix), digest: stored.digest, kinds: kindsInfo() };
    },

    /** One click from a mail, no sign-in: the token names the user, the type and the channel. */
    async unsubscribe(token: string): Promise<UnsubscribeResult> {
      const claim = deps.tokens.verify(token);
      if (!claim)
        throw notificationError(
          'invalid_unsubscribe_token',
          'Open the newest mail and use its link, or sign in and change your preferences.',
        );
      await database.transaction(async (tx) => {
        const stored = await storedPreferences(repository, tx, claim.userId);
        const matrix = { ...(stored.matrix as Record<string, Record<string, boolean>>) };
        matrix[claim.type] = { ...matrix[claim.type], [claim.channel]: false };
        await repository.savePreferences(tx, claim.userId, { matrix, digest: stored.digest });
      });
      return { type: claim.type, channel: claim.channel, label: NOTIFICATION_TYPES[claim.type].label };
    },

    async pushPublicKey(): Promise<{ publicKey: string }> {
      return { publicKey: (await deps.vapidKeys()).publicKey };
    },

    async subscribePush(ctx: RequestContext, body: PushSubscriptionBody, userAgent: string | null) {
      const userId = requireUser(ctx, SIGN_IN);
      if (!isAllowedPushEndpoint(body.endpoint, config.allowLoopbackPush)) {
        throw notificationError(
          'push_endpoint_not_allowed',
          'Subscribe with the browser’s own push service.',
        );
      }
      const row = await repository.upsertPushSubscription(database.db, {
        userId,
        endpoint: body.endpoint,
        p256dh: body.keys.p256dh,
        auth: body.keys.auth,
        userAgent: userAgent?.slice(0, 300) ?? null,
      });
      return { id: row.id, createdAt: row.createdAt.toISOString() };
    },

    async unsubscribePush(ctx: RequestContext, endpoint: string): Promise<void> {
      if (!(await repository.deletePushSubscription(database.db, requireUser(ctx, SIGN_IN), endpoint))) {
        throw notificationError('push_subscription_not_found');
      }
    },
  };
}
