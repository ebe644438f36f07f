import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const showcaseErrors = {
  listing_not_found: { status: 404, title: 'No such listing' },
  not_a_showcase_post: { status: 409, title: 'The listing is not a showcase post' },
  post_not_open: { status: 409, title: 'The post is not live: it takes no votes' },
  cannot_upvote_own: { status: 403, title: 'You cannot upvote a product you posted or made' },
  maker_not_found: { status: 400, title: 'A maker is not a member' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type ShowcaseErrorCode = keyof typeof showcaseErrors;

export const showcaseError = errorFactory(showcaseErrors);
