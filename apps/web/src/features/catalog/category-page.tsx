import type { CategoryDetail } from '@souk/contracts';
import { useParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NotFoundPage } from '../../shell/not-found-page';
import { ErrorState } from '../../ui/error-state';
import { FollowButton } from '../follows/follow-button';
import { Breadcrumb } from './breadcrumb';
import { useCategory } from './catalog-queries';
import { byPosition } from './categories';
import { CategoryIcon } from './category-icon';
import { CategoryListings } from './category-listings';
import { CategoryPageSkeleton } from './category-page-skeleton';
import { SubcategoryList } from './subcategory-list';

function CategoryView({ category }: { category: CategoryDetail }) {
  useDocumentTitle(category.name);
  const children = byPosition(category.children);

  return (
    <>
      <Breadcrumb ancestors={category.ancestors} current={category.name} />

      <header className="mt-5 flex items-start gap-4">
        <CategoryIcon icon={category.icon} name={category.name} size="lg" />
        <div className="min-w-0">
          <h1 className="text-3xl font-bold tracking-tight text-stone-900 text-balance">{category.name}</h1>
          {category.description && <p className="mt-1 max-w-2xl text-stone-600">{category.description}</p>}
          <div className="mt-3">
            <FollowButton type="category" id={category.id} name={category.name} />
          </div>
        </div>
      </header>

      {children.length > 0 && <SubcategoryList parentName={category.name} items={children} />}

      <CategoryListings category={category} />
    </>
  );
}

export function CategoryPage() {
  const t = useT();
  const { slug = '' } = useParams();
  const category = useCategory(slug);

  if (category.isPending) return <CategoryPageSkeleton />;
  if (category.isError) {
    const { error } = category;
    // A slug the API rejects as malformed (400) names no category either.
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      return (
        <NotFoundPage
          title={t('catalog.categoryPage.categoryNotFound')}
          message={t('catalog.categoryPage.weCouldntFindThat')}
        />
      );
    }
    return (
      <ErrorState
        title={t('catalog.categoryPage.weCouldntLoadCategory')}
        message={describeError(error)}
        onRetry={() => void category.refetch()}
        retrying={category.isFetching}
      />
    );
  }
  return <CategoryView category={category.data} />;
}
