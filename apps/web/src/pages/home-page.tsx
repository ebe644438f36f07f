import { useId } from 'react';
import { useCategoryTree } from '../api/catalog';
import { describeError } from '../api/client';
import { CategoryGrid } from '../components/category-grid';
import { CategoryGridSkeleton } from '../components/category-grid-skeleton';
import { EmptyState } from '../components/empty-state';
import { ErrorState } from '../components/error-state';
import { useDocumentTitle } from '../lib/use-document-title';

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

export function HomePage() {
  const headingId = useId();
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
      </section>

      <section aria-labelledby={headingId} className="mt-8 sm:mt-12">
        <h2 id={headingId} className="mb-4 text-xl font-semibold text-stone-900">
          Browse categories
        </h2>
        <TopCategories />
      </section>
    </>
  );
}
