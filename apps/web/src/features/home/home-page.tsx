import { useId, useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { signInPath } from '../../lib/safe-next';
import { useDocumentTitle } from '../../lib/use-document-title';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { primaryButton, secondaryButton, textLink } from '../../ui/form/buttons';
import { useSession } from '../auth/auth-queries';
import { useCategoryTree } from '../catalog/catalog-queries';
import { CategoryGrid } from '../catalog/category-grid';
import { CategoryGridSkeleton } from '../catalog/category-grid-skeleton';
import { ListingGridSkeleton } from '../listings/listing-card';
import { ListingFeed, ListingGrid } from '../listings/listing-feed';
import { useFeaturedListings } from '../listings/listings-queries';

function TopCategories() {
  const tree = useCategoryTree();

  if (tree.isPending) return <CategoryGridSkeleton />;
  if (tree.isError) {
    return (
      <ErrorState
        title="We couldn't load the categories"
        message={describeError(tree.error)}
        onRetry={() => void tree.refetch()}
        retrying={tree.isFetching}
      />
    );
  }
  if (tree.data.items.length === 0) {
    return (
      <EmptyState title="No categories yet">
        <p>Once this marketplace's operator adds categories, they will show up here.</p>
      </EmptyState>
    );
  }
  return <CategoryGrid categories={tree.data.items} />;
}

const FEATURED_SHOWN = 8;

function FeaturedListings() {
  const featured = useFeaturedListings();
  const [all, setAll] = useState(false);
  if (featured.isPending) return <ListingGridSkeleton count={4} label="Loading featured listings…" />;
  if (featured.isError) {
    return (
      <ErrorState
        title="We couldn't load the featured listings"
        message={describeError(featured.error)}
        onRetry={() => void featured.refetch()}
        retrying={featured.isFetching}
      />
    );
  }
  if (featured.data.length === 0) {
    return (
      <EmptyState title="Nothing featured right now">
        <p>Featured listings show up here. Have a look at the latest ones below.</p>
      </EmptyState>
    );
  }
  const hidden = featured.data.length - FEATURED_SHOWN;
  return (
    <div>
      <ListingGrid listings={all ? featured.data : featured.data.slice(0, FEATURED_SHOWN)} />
      {hidden > 0 && (
        <div className="mt-6 flex justify-center">
          <button
            type="button"
            onClick={() => setAll((value) => !value)}
            aria-expanded={all}
            className={secondaryButton}
          >
            {all ? 'Show fewer' : `Show all ${featured.data.length} featured`}
          </button>
        </div>
      )}
    </div>
  );
}

function SellLink() {
  const { user } = useSession();
  return (
    <Link to={user ? '/sell' : signInPath('/sell')} className={textLink}>
      Sell something
    </Link>
  );
}

export function HomePage() {
  const headingId = useId();
  const featuredId = useId();
  const latestId = useId();
  const { user, status } = useSession();
  useDocumentTitle();

  return (
    <>
      <section className="rounded-3xl bg-brand-50 px-5 py-8 sm:px-10 sm:py-12">
        <h1 className="max-w-2xl text-3xl font-bold tracking-tight text-stone-900 text-balance sm:text-4xl">
          Buy, sell, bid and swap, right around you.
        </h1>
        <p className="mt-3 max-w-2xl text-base text-stone-700 text-pretty sm:text-lg">
          Classifieds in every category, auctions, safe escrow orders, travellers who carry your parcels, and
          swaps: one open marketplace.
        </p>
        {status !== 'loading' && (
          <Link to={user ? '/sell' : signInPath('/sell')} className={`${primaryButton} mt-6`}>
            Start selling
          </Link>
        )}
      </section>

      <section aria-labelledby={featuredId} className="mt-8 sm:mt-12">
        <h2 id={featuredId} className="mb-4 text-xl font-semibold text-stone-900">
          Featured
        </h2>
        <FeaturedListings />
      </section>

      <section aria-labelledby={headingId} className="mt-8 sm:mt-12">
        <h2 id={headingId} className="mb-4 text-xl font-semibold text-stone-900">
          Browse categories
        </h2>
        <TopCategories />
      </section>

      <section aria-labelledby={latestId} className="mt-8 sm:mt-12">
        <h2 id={latestId} className="mb-4 text-xl font-semibold text-stone-900">
          Latest listings
        </h2>
        <ListingFeed
          empty={{
            title: 'No listings yet',
            body: (
              <p>
                Be the first: <SellLink />.
              </p>
            ),
          }}
        />
      </section>
    </>
  );
}
