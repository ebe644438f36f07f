import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const notificationErrors = {
  notification_not_found: { status: 404, title: 'No such notification' },
  invalid_preferences: { status: 400, title: 'The preferences are not valid' },
  invalid_unsubscribe_token: { status: 400, title: 'The unsubscribe link is not valid or has expired' },
  push_endpoint_not_allowed: { status: 400, title: 'The push endpoint is not a known push service' },
  push_subscription_not_found: { status: 404, title: 'No such push subscription' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type NotificationErrorCode = keyof typeof notificationErrors;

export const notificationError = errorFactory(notificationErrors);
