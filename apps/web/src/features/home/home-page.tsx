import { useId, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
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
  const t = useT();
  const tree = useCategoryTree();

  if (tree.isPending) return <CategoryGridSkeleton />;
  if (tree.isError) {
    return (
      <ErrorState
        title={t('home.homePage.weCouldntLoadCategories')}
        message={describeError(tree.error)}
        onRetry={() => void tree.refetch()}
        retrying={tree.isFetching}
      />
    );
  }
  if (tree.data.items.length === 0) {
    return (
      <EmptyState title={t('home.homePage.noCategoriesYet')}>
        <p>
          <FormattedMessage id="home.homePage.onceMarketplacesOperatorAdds" />
        </p>
      </EmptyState>
    );
  }
  return <CategoryGrid categories={tree.data.items} />;
}

const FEATURED_SHOWN = 8;

function FeaturedListings() {
  const t = useT();
  const featured = useFeaturedListings();
  const [all, setAll] = useState(false);
  if (featured.isPending)
    return <ListingGridSkeleton count={4} label={t('home.homePage.loadingFeaturedListings')} />;
  if (featured.isError) {
    return (
      <ErrorState
        title={t('home.homePage.weCouldntLoadFeatured')}
        message={describeError(featured.error)}
        onRetry={() => void featured.refetch()}
        retrying={featured.isFetching}
      />
    );
  }
  if (featured.data.length === 0) {
    return (
      <EmptyState title={t('home.homePage.nothingFeaturedRightNow')}>
        <p>
          <FormattedMessage id="home.homePage.featuredListingsShowUp" />
        </p>
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
            {all
              ? t('home.homePage.showFewer')
              : t('home.homePage.showAllFeatured', { count: featured.data.length })}
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
      <FormattedMessage id="home.homePage.sellSomething" />
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
          <FormattedMessage id="home.homePage.buySellBidSwap" />
        </h1>
        <p className="mt-3 max-w-2xl text-base text-stone-700 text-pretty sm:text-lg">
          <FormattedMessage id="home.homePage.classifiedsEveryCategoryAuctions" />
        </p>
        {status !== 'loading' && (
          <Link to={user ? '/sell' : signInPath('/sell')} className={`${primaryButton} mt-6`}>
            <FormattedMessage id="home.homePage.startSelling" />
          </Link>
        )}
      </section>

      <section aria-labelledby={featuredId} className="mt-8 sm:mt-12">
        <h2 id={featuredId} className="mb-4 text-xl font-semibold text-stone-900">
          <FormattedMessage id="home.homePage.featured" />
        </h2>
        <FeaturedListings />
      </section>

      <section aria-labelledby={headingId} className="mt-8 sm:mt-12">
        <h2 id={headingId} className="mb-4 text-xl font-semibold text-stone-900">
          <FormattedMessage id="home.homePage.browseCategories" />
        </h2>
        <TopCategories />
      </section>

      <section aria-labelledby={latestId} className="mt-8 sm:mt-12">
        <h2 id={latestId} className="mb-4 text-xl font-semibold text-stone-900">
          <FormattedMessage id="home.homePage.latestListings" />
        </h2>
        <ListingFeed
          empty={{
            title: 'No listings yet',
            body: (
              <p>
                <FormattedMessage id="home.homePage.beFirst" /> <SellLink />.
              </p>
            ),
          }}
        />
      </section>
    </>
  );
}
