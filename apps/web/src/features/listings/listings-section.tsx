import { useId } from 'react';
import { Link } from 'react-router';
import { signInPath } from '../../lib/safe-next';
import { textLink } from '../../ui/form/buttons';
import { useSession } from '../auth/auth-queries';
import { ListingFeed } from './listing-feed';

/** A category's listings, its subcategories' included, newest first. */
export function ListingsSection({
  categorySlug,
  categoryName,
}: {
  categorySlug: string;
  categoryName: string;
}) {
  const headingId = useId();
  const { user } = useSession();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} className="text-lg font-semibold text-stone-900">
        Listings
      </h2>
      <div className="mt-3">
        <ListingFeed
          filters={{ category: categorySlug }}
          empty={{
            title: `No listings yet in ${categoryName}`,
            body: (
              <p>
                Have something that fits?{' '}
                <Link to={user ? '/sell' : signInPath('/sell')} className={textLink}>
                  Sell it here
                </Link>
                .
              </p>
            ),
          }}
        />
      </div>
    </section>
  );
}
