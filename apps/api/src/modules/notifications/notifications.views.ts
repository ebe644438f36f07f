import type { Notification, NotificationPreferences, PreferenceMatrix } from '@souk/contracts';
import type { Queryable } from '../../platform/db/database.js';
import type { NotificationsRepository } from './notifications.repository.js';
import type { NotificationRow } from './notifications.schema.js';
import { NOTIFICATION_TYPES, type NotificationType, TYPE_NAMES } from './notifications.types.js';

/** Pure shapes shared by the notification parts: the API's view of a row, the registry, text. */

export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    type: row.type as NotificationType,
    title: row.title,
    body: row.body,
    url: row.url,
    data: row.data,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function kindsInfo(): NotificationPreferences['kinds'] {
  return TYPE_NAMES.map((type) => {
    const info = NOTIFICATION_TYPES[type];
    return {
      type,
      label: info.label,
      description: info.description,
      channels: [...info.channels],
      defaults: Object.fromEntries(
        info.channels.map((channel) => [channel, info.defaults.includes(channel)]),
      ),
      chatty: info.chatty,
    };
  });
}

export /** Single-line, bounded text for titles and bodies that came from users (message previews). */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** What the user changed from the registry's defaults, and their digest rhythm (daily by default). */
export async function storedPreferences(
  repository: Pick<NotificationsRepository, 'findPreferences'>,
  db: Queryable,
  userId: string,
) {
  const row = await repository.findPreferences(db, userId);
  return { matrix: (row?.matrix ?? {}) as PreferenceMatrix, digest: row?.digest ?? ('daily' as const) };
}
