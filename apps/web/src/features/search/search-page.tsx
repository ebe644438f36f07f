import type { SearchResult } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { EmptyState } from '../../ui/empty-state';
import { useCategory } from '../catalog/catalog-queries';
import { useFilterParams } from '../filters/filter-params';
import { FiltersPanel } from '../filters/filters-panel';
import { SortSelect } from '../filters/sort-select';
import { SaveSearchButton } from './save-search-button';
import { useSearch } from './search-queries';
import { ResultCount, SearchResults } from './search-results';

export function SearchPage() {
  const t = useT();
  const { params, update } = useFilterParams();
  const query = params.get('q')?.trim() ?? '';
  const categorySlug = params.get('category') ?? '';
  useDocumentTitle(query ? t('search.documentTitleQuery', { query }) : t('search.documentTitle'));
  const search = useSearch(params);
  const category = useCategory(categorySlug);
  const first = search.data?.pages[0];

  return (
    <div className="py-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold text-stone-900 sm:text-3xl">
            {query ? (
              <FormattedMessage
                id="search.resultsFor"
                values={{ query, q: (chunks) => <q className="text-brand-700">{chunks}</q> }}
              />
            ) : (
              (category.data?.name ?? t('search.documentTitle'))
            )}
          </h1>
          <ResultCount result={first} />
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <SortSelect params={params} update={update} />
          <SaveSearchButton params={params} />
        </div>
      </div>

      <div className="mt-5 grid gap-6 lg:grid-cols-[18rem_1fr]">
        <FiltersPanel
          params={params}
          update={update}
          facets={first?.facets ?? null}
          attributes={category.data?.attributes ?? []}
        />
        <section aria-label={t('search.results')}>
          <SearchResults search={search} empty={(result) => <NoResults result={result} params={params} />} />
        </section>
      </div>
    </div>
  );
}

function NoResults({ result, params }: { result: SearchResult | undefined; params: URLSearchParams }) {
  const t = useT();
  const corrected = result?.didYouMean;
  const next = new URLSearchParams(params);
  if (corrected) next.set('q', corrected);
  return (
    <EmptyState title={t('search.nothing')}>
      {corrected ? (
        <FormattedMessage
          id="search.didYouMean"
          values={{
            corrected,
            link: (chunks) => (
              <Link to={`/search?${next}`} className="font-semibold text-brand-700 underline">
                {chunks}
              </Link>
            ),
          }}
        />
      ) : (
        t('search.nothingHint')
      )}
    </EmptyState>
  );
}
