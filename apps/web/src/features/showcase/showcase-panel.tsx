import type { Listing } from '@souk/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../../i18n/use-t';
import { formatDate } from '../../lib/format';
import { useRealtimeChannel } from '../../lib/realtime';
import { textLink } from '../../ui/form/buttons';
import { UserAvatar } from '../../ui/user-avatar';
import { useSession } from '../auth/auth-queries';
import { ShowcaseDetailsForm } from './showcase-details-form';
import { setUpvoteState, useShowcasePost } from './showcase-queries';
import { UpvoteButton } from './upvote-button';

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** A showcase post's product card on its listing page: name, tagline, link, makers, tags, votes. */
export function ShowcasePanel({ listing }: { listing: Listing }) {
  const t = useT();
  const post = useShowcasePost(listing.id);
  const queryClient = useQueryClient();
  const { user } = useSession();
  const [editing, setEditing] = useState(false);
  // Votes by others show up live while the page is open.
  useRealtimeChannel(user && listing.status === 'active' ? `listing:${listing.id}` : null, (event) => {
    if (event.event !== 'showcase.upvotes') return;
    const data = event.data as { listingId: string; upvotes: number };
    setUpvoteState(queryClient, { listingId: data.listingId, upvotes: data.upvotes });
  });
  if (!post.data) return null;
  const { name, tagline, link, makers, tags, launchDate } = post.data;
  const own = user?.id === post.data.ownerId;
  return (
    <section aria-labelledby="showcase-heading" className="rounded-3xl border border-stone-200 bg-white p-5">
      <div className="flex items-start gap-4">
        <div className="min-w-0 flex-1">
          <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">
            <Link to="/showcase" className="hover:underline">
              <FormattedMessage id="showcase.showcasePanel.showcase" />
            </Link>
          </p>
          <h2 id="showcase-heading" className="mt-1 text-xl font-bold text-stone-900">
            {name}
          </h2>
          {tagline && <p className="mt-1 text-stone-700">{tagline}</p>}
        </div>
        <UpvoteButton post={post.data} size="lg" />
      </div>
      {link && (
        <p className="mt-3 text-sm">
          <a
            href={link}
            rel="noopener noreferrer nofollow ugc"
            target="_blank"
            className="font-medium text-brand-700 underline-offset-4 hover:underline"
          >
            <FormattedMessage
              id="showcase.showcasePanel.visitOpensNewTab"
              values={{ link: hostOf(link), span: (chunks) => <span className="sr-only">{chunks}</span> }}
            />
          </a>
        </p>
      )}
      {launchDate && (
        <p className="mt-2 text-sm text-stone-600">
          <FormattedMessage
            id="showcase.showcasePanel.launched"
            values={{ formatDate: formatDate(`${launchDate}T00:00:00Z`) }}
          />
        </p>
      )}
      {tags.length > 0 && (
        <ul aria-label={t('showcase.showcasePanel.tags')} className="mt-3 flex flex-wrap gap-2">
          {tags.map((tag) => (
            <li key={tag} className="rounded-full bg-stone-100 px-2.5 py-0.5 text-sm text-stone-800">
              #{tag}
            </li>
          ))}
        </ul>
      )}
      {makers.length > 0 && (
        <div className="mt-4">
          <h3 className="text-sm font-semibold text-stone-900">
            <FormattedMessage id="showcase.showcasePanel.makers" />
          </h3>
          <ul className="mt-2 flex flex-wrap gap-3">
            {makers.map((maker) => (
              <li key={maker.id}>
                <Link to={`/u/${maker.id}`} className="flex items-center gap-2 text-sm hover:text-brand-700">
                  <UserAvatar name={maker.displayName} url={maker.avatarUrl} />
                  {maker.displayName}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      {own &&
        (editing ? (
          <ShowcaseDetailsForm post={post.data} onDone={() => setEditing(false)} />
        ) : (
          <button type="button" className={`${textLink} mt-4 text-sm`} onClick={() => setEditing(true)}>
            <FormattedMessage id="showcase.showcasePanel.editProductDetails" />
          </button>
        ))}
    </section>
  );
}
