import { FormattedMessage } from 'react-intl';
import { useParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NotFoundPage } from '../../shell/not-found-page';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { useSharedComparison } from './compare-queries';
import { CompareTable } from './compare-table';

/** A comparison someone shared, recomputed from the listings as they are now. */
export function SharedComparePage() {
  const t = useT();
  const { token = '' } = useParams();
  const comparison = useSharedComparison(token);
  useDocumentTitle('Shared comparison');
  if (comparison.isPending) {
    return (
      <p role="status" className="py-10 text-center text-stone-600">
        <FormattedMessage id="compare.sharedComparePage.loadingComparison" />
      </p>
    );
  }
  if (comparison.isError) {
    const error = comparison.error;
    if (error instanceof ApiError && [400, 404, 410].includes(error.status)) {
      return (
        <NotFoundPage
          title={
            error.status === 410
              ? t('compare.sharedComparePage.linkHasExpired')
              : t('compare.sharedComparePage.comparisonNotFound')
          }
          message={t('compare.sharedComparePage.askNewLink')}
        />
      );
    }
    return (
      <ErrorState
        title={t('compare.sharedComparePage.weCouldntLoadComparison')}
        message={describeError(error)}
        onRetry={() => void comparison.refetch()}
      />
    );
  }
  const data = comparison.data;
  return (
    <div>
      <h1 className="mb-4 text-2xl font-bold text-stone-900">
        <FormattedMessage id="compare.sharedComparePage.sharedComparison" />
        {data.topCategory ? `: ${data.topCategory.name}` : ''}
      </h1>
      {data.listings.length === 0 ? (
        <EmptyState title={t('compare.sharedComparePage.theseListingsNoLonger')} />
      ) : (
        <CompareTable comparison={data} />
      )}
    </div>
  );
}
