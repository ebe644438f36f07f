import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const messagingErrors = {
  conversation_not_found: { status: 404, title: 'No such conversation' },
  listing_not_found: { status: 404, title: 'No such listing' },
  listing_not_available: { status: 409, title: 'The listing is not open for new conversations' },
  messages_disabled: { status: 409, title: 'The seller does not take messages on this listing' },
  cannot_message_self: { status: 400, title: 'You cannot message yourself about your own listing' },
  blocked: { status: 403, title: 'This user does not accept your messages' },
  you_blocked_user: { status: 409, title: 'You blocked this user; unblock them to send messages' },
  empty_message: { status: 400, title: 'Write something or attach a photo' },
  image_not_found: { status: 400, title: 'Attach photos you uploaded and have not sent yet' },
  message_not_found: { status: 404, title: 'The conversation has no such message' },
  quick_reply_not_found: { status: 404, title: 'No such quick reply' },
  too_many_quick_replies: { status: 409, title: 'You have as many quick replies as you may keep' },
  already_reported: { status: 409, title: 'You already reported this conversation; it is being reviewed' },
  user_not_found: { status: 404, title: 'No such user' },
  cannot_block_self: { status: 400, title: 'You cannot block yourself' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type MessagingErrorCode = keyof typeof messagingErrors;

export const messagingError = errorFactory(messagingErrors);
