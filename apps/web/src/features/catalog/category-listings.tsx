import type { CategoryDetail } from '@souk/contracts';
import { useId, useMemo } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../../i18n/use-t';
import { signInPath } from '../../lib/safe-next';
import { EmptyState } from '../../ui/empty-state';
import { textLink } from '../../ui/form/buttons';
import { useSession } from '../auth/auth-queries';
import { useFilterParams } from '../filters/filter-params';
import { FiltersPanel } from '../filters/filters-panel';
import { SortSelect } from '../filters/sort-select';
import { useSearch } from '../search/search-queries';
import { ResultCount, SearchResults } from '../search/search-results';

/**
 * A category's listings, its subcategories' included, through the same search and filters as the
 * search page: the filters live in this page's URL, the category in its path.
 */
export function CategoryListings({ category }: { category: CategoryDetail }) {
  const t = useT();
  const headingId = useId();
  const { user } = useSession();
  const { params, update } = useFilterParams();
  const searchParams = useMemo(() => {
    const copy = new URLSearchParams(params);
    copy.set('category', category.slug);
    return copy;
  }, [params, category.slug]);
  const search = useSearch(searchParams);
  const first = search.data?.pages[0];
  const filtered = [...params.keys()].some((key) => key !== 'sort');

  return (
    <div className="mt-8 grid gap-8 lg:grid-cols-[18rem_minmax(0,1fr)] lg:items-start">
      <FiltersPanel
        params={params}
        update={update}
        facets={first?.facets ?? null}
        attributes={category.attributes}
        showCategories={false}
      />
      <section aria-labelledby={headingId}>
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 id={headingId} className="text-lg font-semibold text-stone-900">
              <FormattedMessage id="catalog.listings" />
            </h2>
            <ResultCount result={first} />
          </div>
          <SortSelect params={params} update={update} />
        </div>
        <div className="mt-3">
          <SearchResults
            search={search}
            empty={() =>
              filtered ? (
                <EmptyState title={t('search.nothing')}>{t('catalog.nothingFiltered')}</EmptyState>
              ) : (
                <EmptyState title={t('catalog.empty', { name: category.name })}>
                  <p>
                    <FormattedMessage
                      id="catalog.emptySell"
                      values={{
                        link: (chunks) => (
                          <Link to={user ? '/sell' : signInPath('/sell')} className={textLink}>
                            {chunks}
                          </Link>
                        ),
                      }}
                    />
                  </p>
                </EmptyState>
              )
            }
          />
        </div>
      </section>
    </div>
  );
}
