import type { AlertFrequency, SavedSearch } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { RequireAuth } from '../../shell/require-auth';
import { EmptyState } from '../../ui/empty-state';
import { useDeleteSavedSearch, useSavedSearches, useUpdateSavedSearch } from './search-queries';

const ALERTS: [AlertFrequency, string][] = [
  ['instant', 'At once'],
  ['daily', 'Daily'],
  ['weekly', 'Weekly'],
  ['off', 'Never'],
];

function searchUrl(saved: SavedSearch): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(saved.query)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
  return `/search?${params}`;
}

function SavedSearches() {
  const t = useT();
  const saved = useSavedSearches();
  const update = useUpdateSavedSearch();
  const remove = useDeleteSavedSearch();
  const items = saved.data?.items ?? [];
  return (
    <div className="mx-auto max-w-2xl py-6">
      <h1 className="text-2xl font-bold text-stone-900">
        <FormattedMessage id="search.savedSearchesPage.savedSearches" />
      </h1>
      {saved.isPending ? (
        <p className="mt-4 text-stone-500">
          <FormattedMessage id="common.loading" />
        </p>
      ) : items.length === 0 ? (
        <div className="mt-4">
          <EmptyState title={t('search.savedSearchesPage.noSavedSearchesYet')}>
            <FormattedMessage id="search.savedSearchesPage.searchSomethingThenPress" />
          </EmptyState>
        </div>
      ) : (
        <ul className="mt-4 divide-y divide-stone-200 rounded-2xl border border-stone-200 bg-white">
          {items.map((item) => (
            <li key={item.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
              <div>
                <Link to={searchUrl(item)} className="font-medium text-brand-700 hover:underline">
                  {item.name}
                </Link>
                <p className="text-xs text-stone-500">
                  {new URLSearchParams(searchUrl(item).slice(8)).toString()}
                </p>
              </div>
              <div className="flex items-center gap-2 text-sm">
                <button
                  type="button"
                  className="text-stone-600 underline"
                  onClick={() => {
                    const name = window.prompt('New name', item.name)?.trim();
                    if (name) update.mutate({ id: item.id, name });
                  }}
                >
                  <FormattedMessage id="search.savedSearchesPage.rename" />
                </button>
                <label>
                  <span className="sr-only">
                    <FormattedMessage id="search.savedSearchesPage.alert" values={{ name: item.name }} />
                  </span>
                  <select
                    value={item.alert}
                    onChange={(event) =>
                      update.mutate({ id: item.id, alert: event.target.value as AlertFrequency })
                    }
                    className="rounded border border-stone-300 px-1 py-0.5"
                  >
                    {ALERTS.map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                </label>
                <button
                  type="button"
                  className="text-red-700 underline"
                  onClick={() => remove.mutate(item.id)}
                >
                  <FormattedMessage id="search.savedSearchesPage.delete" />
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function SavedSearchesPage() {
  useDocumentTitle('Saved searches');
  return <RequireAuth>{() => <SavedSearches />}</RequireAuth>;
}
