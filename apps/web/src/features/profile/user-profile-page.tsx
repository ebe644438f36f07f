import type { UserProfile } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link, useParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { formatMonth } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NotFoundPage } from '../../shell/not-found-page';
import { ErrorState } from '../../ui/error-state';
import { secondaryButton } from '../../ui/form/buttons';
import { UserAvatar } from '../../ui/user-avatar';
import { useUserProfile } from '../account/users-queries';
import { useSession } from '../auth/auth-queries';
import { FollowButton } from '../follows/follow-button';
import { ListingFeed } from '../listings/listing-feed';
import { ReviewsSection } from '../reviews/reviews-section';
import { RatingLine } from '../reviews/stars';
import { OpeningHoursList } from './opening-hours-list';
import { ProfileBadges } from './profile-badges';
import { ProfileStats } from './profile-stats';

const card = 'rounded-3xl border border-stone-200 bg-white px-5 py-6 sm:px-8';

function websiteLabel(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function SellerCard({ seller }: { seller: NonNullable<UserProfile['seller']> }) {
  const t = useT();
  return (
    <section aria-labelledby="seller-heading" className={card}>
      <h2 id="seller-heading" className="text-lg font-semibold text-stone-900">
        {seller.businessName ?? t('profile.userProfilePage.seller')}
      </h2>
      {seller.description && <p className="mt-2 whitespace-pre-line text-stone-700">{seller.description}</p>}
      {seller.website && (
        <p className="mt-3 text-sm">
          <a
            href={seller.website}
            rel="noopener noreferrer nofollow ugc"
            target="_blank"
            className="font-medium text-brand-700 underline-offset-4 hover:underline"
          >
            {websiteLabel(seller.website)}
            <span className="sr-only">
              {' '}
              <FormattedMessage id="profile.userProfilePage.opensNewTab" />
            </span>
          </a>
        </p>
      )}
      {seller.openingHours.length > 0 && (
        <div className="mt-5">
          <h3 className="mb-2 text-sm font-semibold text-stone-900">
            <FormattedMessage id="profile.userProfilePage.openingHours" />
          </h3>
          <OpeningHoursList hours={seller.openingHours} />
        </div>
      )}
    </section>
  );
}

function Profile({ profile, own }: { profile: UserProfile; own: boolean }) {
  const t = useT();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <section
        className={`${card} flex flex-col items-center gap-4 text-center sm:flex-row sm:items-start sm:text-left`}
      >
        <UserAvatar name={profile.displayName} url={profile.avatarUrl} size="lg" />
        <div className="min-w-0 flex-1 space-y-2">
          <h1 className="text-2xl font-bold tracking-tight break-words text-stone-900">
            {profile.displayName}
          </h1>
          <p className="text-sm text-stone-600">
            <FormattedMessage
              id="profile.userProfilePage.memberSince"
              values={{ memberSince: formatMonth(profile.memberSince) }}
            />
            {profile.location && <> · {profile.location.name}</>}
          </p>
          <div className="flex justify-center sm:justify-start">
            <ProfileBadges badges={profile.badges} />
          </div>
          <div className="flex justify-center sm:justify-start">
            <RatingLine rating={profile.sellerRating} />
          </div>
          <div className="flex justify-center sm:justify-start">
            <FollowButton type="member" id={profile.id} name={profile.displayName} />
          </div>
          {own && (
            <Link to="/account" className={`${secondaryButton} mt-2`}>
              <FormattedMessage id="profile.userProfilePage.editProfile" />
            </Link>
          )}
        </div>
      </section>

      <ProfileStats userId={profile.id} />

      {profile.bio && (
        <section aria-labelledby="about-heading" className={card}>
          <h2 id="about-heading" className="text-lg font-semibold text-stone-900">
            <FormattedMessage id="profile.userProfilePage.about" />
          </h2>
          <p className="mt-2 whitespace-pre-line text-stone-700">{profile.bio}</p>
        </section>
      )}

      {profile.seller && <SellerCard seller={profile.seller} />}

      <section aria-labelledby="listings-heading">
        <h2 id="listings-heading" className="text-lg font-semibold text-stone-900">
          <FormattedMessage id="profile.userProfilePage.listings" />
        </h2>
        <div className="mt-3">
          {/* Active listings only: drafts, sold and expired ones are the seller's own business. */}
          <ListingFeed
            filters={{ seller: profile.id }}
            empty={{ title: `${profile.displayName} has nothing for sale right now` }}
            errorTitle={t('profile.userProfilePage.weCouldntLoadMembers')}
          />
        </div>
      </section>

      <ReviewsSection sellerId={profile.id} sellerName={profile.displayName} />
    </div>
  );
}

export function UserProfilePage() {
  const t = useT();
  const { id = '' } = useParams();
  const profile = useUserProfile(id);
  const { user } = useSession();
  const missing =
    profile.error instanceof ApiError && (profile.error.status === 404 || profile.error.status === 400);
  useDocumentTitle(profile.data?.displayName ?? (missing ? 'Member not found' : 'Member profile'));

  if (profile.isPending) {
    return (
      <div role="status" className="mx-auto max-w-3xl">
        <span className="sr-only">
          <FormattedMessage id="profile.userProfilePage.loadingProfile" />
        </span>
        <div aria-hidden="true" className="h-40 animate-pulse rounded-3xl bg-stone-200/70" />
      </div>
    );
  }
  if (profile.isError) {
    if (missing) {
      return (
        <NotFoundPage
          title={t('profile.userProfilePage.memberNotFound')}
          message={t('profile.userProfilePage.memberDoesNotExist')}
        />
      );
    }
    return (
      <ErrorState
        title={t('profile.userProfilePage.weCouldntLoadProfile')}
        message={describeError(profile.error)}
        onRetry={() => void profile.refetch()}
        retrying={profile.isFetching}
      />
    );
  }
  return <Profile profile={profile.data} own={user?.id === profile.data.id} />;
}
