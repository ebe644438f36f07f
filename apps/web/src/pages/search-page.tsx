import { useSearchParams } from 'react-router';
import { useDocumentTitle } from '../lib/use-document-title';

export function SearchPage() {
  const [params] = useSearchParams();
  const query = params.get('q')?.trim() ?? '';
  useDocumentTitle(query ? `Search: ${query}` : 'Search');

  return (
    <div className="mx-auto max-w-2xl py-6">
      <h1 className="text-2xl font-bold text-stone-900 sm:text-3xl">
        {query ? (
          <>
            Results for <q className="text-brand-700">{query}</q>
          </>
        ) : (
          'Search'
        )}
      </h1>
      <p className="mt-3 text-stone-600">
        Search arrives soon.{' '}
        {query
          ? 'Once listings are in, this page will show everything that matches.'
          : 'Type what you are looking for in the search box to try it out.'}
      </p>
    </div>
  );
}
