import type { Listing } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { formatMonth } from '../../lib/format';
import { UserAvatar } from '../../ui/user-avatar';
import { SellerRatingLine } from '../reviews/seller-rating';

export function SellerCard({ seller, linked = true }: { seller: Listing['seller']; linked?: boolean }) {
  return (
    <section
      aria-labelledby="listing-seller-heading"
      className="rounded-3xl border border-stone-200 bg-white p-5"
    >
      <h2
        id="listing-seller-heading"
        className="text-sm font-semibold tracking-wide text-stone-500 uppercase"
      >
        <FormattedMessage id="listings.sellerCard.seller" />
      </h2>
      <div className="mt-3 flex items-center gap-3">
        <UserAvatar name={seller.displayName} url={seller.avatarUrl} size="md" />
        <div className="min-w-0">
          <p className="truncate font-semibold text-stone-900">
            {linked ? (
              <Link
                to={`/u/${encodeURIComponent(seller.id)}`}
                className="underline-offset-4 hover:text-brand-700 hover:underline"
              >
                {seller.displayName}
              </Link>
            ) : (
              seller.displayName
            )}
          </p>
          <p className="text-sm text-stone-600">
            <FormattedMessage
              id="listings.sellerCard.memberSince"
              values={{ memberSince: formatMonth(seller.memberSince) }}
            />
          </p>
          {linked && <SellerRatingLine sellerId={seller.id} />}
        </div>
      </div>
    </section>
  );
}
