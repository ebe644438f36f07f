import type { ShowcasePost } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link, useLocation } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { signInPath } from '../../lib/safe-next';
import { useSession } from '../auth/auth-queries';
import { useUpvote } from './showcase-queries';

const arrow = (
  <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="currentColor">
    <path d="M10 3 3 11h4.5v6h5v-6H17L10 3Z" />
  </svg>
);

/**
 * The upvote toggle with the exact count. Owners and makers see the count only; a signed-out
 * visitor is sent to sign in first.
 */
export function UpvoteButton({
  post,
  size = 'md',
}: {
  post: Pick<ShowcasePost, 'listingId' | 'ownerId' | 'makers' | 'upvotes' | 'upvoted' | 'name'>;
  size?: 'md' | 'lg';
}) {
  const t = useT();
  const { user } = useSession();
  const { pathname } = useLocation();
  const upvote = useUpvote();
  const box = `inline-flex min-w-16 flex-col items-center justify-center rounded-2xl border font-semibold ${
    size === 'lg' ? 'px-4 py-2 text-lg' : 'px-3 py-1.5 text-sm'
  }`;
  const count = <span data-testid="upvote-count">{post.upvotes.toLocaleString()}</span>;
  const label = `${post.upvotes === 1 ? '1 upvote' : `${post.upvotes.toLocaleString()} upvotes`}`;

  if (!user) {
    return (
      <Link
        to={signInPath(pathname)}
        aria-label={t('showcase.upvoteButton.upvoteSignFirst', { name: post.name, label })}
        className={`${box} border-stone-300 bg-white text-stone-800 hover:border-brand-500`}
      >
        {arrow}
        {count}
      </Link>
    );
  }
  const own = user.id === post.ownerId || post.makers.some((maker) => maker.id === user.id);
  if (own) {
    return (
      <span
        className={`${box} border-stone-200 bg-stone-50 text-stone-700`}
        title={t('showcase.upvoteButton.yourOwnProduct')}
      >
        {arrow}
        {count}
        <span className="sr-only">
          {' '}
          <FormattedMessage
            id="showcase.upvoteButton.upvotesYourOwnProduct"
            values={{ upvotes: post.upvotes }}
          />
        </span>
      </span>
    );
  }
  return (
    <span className="inline-flex flex-col items-center">
      <button
        type="button"
        aria-pressed={post.upvoted}
        aria-label={`${post.upvoted ? 'Remove my upvote from' : 'Upvote'} ${post.name}, ${label}`}
        onClick={() => upvote.mutate({ listingId: post.listingId, up: !post.upvoted, upvotes: post.upvotes })}
        className={`${box} ${
          post.upvoted
            ? 'border-brand-600 bg-brand-600 text-white hover:bg-brand-700'
            : 'border-stone-300 bg-white text-stone-800 hover:border-brand-500 hover:text-brand-700'
        }`}
      >
        {arrow}
        {count}
      </button>
      {upvote.isError && (
        <span role="alert" className="mt-1 max-w-40 text-center text-xs text-red-700">
          {describeError(upvote.error)}
        </span>
      )}
    </span>
  );
}
