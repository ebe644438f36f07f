import { useParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NotFoundPage } from '../../shell/not-found-page';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { useSharedComparison } from './compare-queries';
import { CompareTable } from './compare-table';

/** A comparison someone shared, recomputed from the listings as they are now. */
export function SharedComparePage() {
  const { token = '' } = useParams();
  const comparison = useSharedComparison(token);
  useDocumentTitle('Shared comparison');
  if (comparison.isPending) {
    return (
      <p role="status" className="py-10 text-center text-stone-600">
        Loading the comparison…
      </p>
    );
  }
  if (comparison.isError) {
    const error = comparison.error;
    if (error instanceof ApiError && [400, 404, 410].includes(error.status)) {
      return (
        <NotFoundPage
          title={error.status === 410 ? 'This link has expired' : 'Comparison not found'}
          message="Ask for a new link."
        />
      );
    }
    return (
      <ErrorState
        title="We couldn't load this comparison"
        message={describeError(error)}
        onRetry={() => void comparison.refetch()}
      />
    );
  }
  const data = comparison.data;
  return (
    <div>
      <h1 className="mb-4 text-2xl font-bold text-stone-900">
        Shared comparison{data.topCategory ? `: ${data.topCategory.name}` : ''}
      </h1>
      {data.listings.length === 0 ? (
        <EmptyState title="These listings are no longer online" />
      ) : (
        <CompareTable comparison={data} />
      )}
    </div>
  );
}
