import { useState } from 'react';
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
import { useCompareActions, useComparison, useShareComparison } from './compare-queries';
import { CompareTable } from './compare-table';

function ShareComparison() {
  const t = useT();
  const { user } = useSession();
  const share = useShareComparison();
  const [copied, setCopied] = useState(false);
  if (!user) {
    return (
      <Link to={signInPath('/compare')} className={secondaryButton}>
        <FormattedMessage id="compare.comparePage.signShare" />
      </Link>
    );
  }
  const url = share.data ? `${window.location.origin}${share.data.path}` : null;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={primaryButton}
        onClick={() => share.mutate()}
        disabled={share.isPending}
      >
        <FormattedMessage id="compare.comparePage.share" />
      </button>
      {url && (
        <>
          <input
            readOnly
            value={url}
            aria-label={t('compare.comparePage.comparisonLink')}
            className="min-w-0 flex-1 rounded border border-stone-300 bg-stone-50 px-2 py-1 font-mono text-xs"
            onFocus={(event) => event.target.select()}
          />
          <button
            type="button"
            className={textLink}
            onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(true))}
          >
            {copied ? t('compare.comparePage.copied') : t('compare.comparePage.copy')}
          </button>
        </>
      )}
      {share.isError && (
        <p role="alert" className="w-full text-sm text-red-700">
          {describeError(share.error)}
        </p>
      )}
    </div>
  );
}

export function ComparePage() {
  const t = useT();
  useDocumentTitle('Compare');
  const comparison = useComparison();
  const actions = useCompareActions();
  if (comparison.isPending) {
    return (
      <p role="status" className="py-10 text-center text-stone-600">
        <FormattedMessage id="compare.comparePage.loadingComparison" />
      </p>
    );
  }
  if (!comparison.data) {
    return (
      <ErrorState
        title={t('compare.comparePage.weCouldntLoadComparison')}
        message={describeError(comparison.error)}
        onRetry={() => void comparison.refetch()}
      />
    );
  }
  const data = comparison.data;
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold text-stone-900">
          <FormattedMessage id="compare.comparePage.compare" />
          {data.topCategory ? ` ${data.topCategory.name.toLowerCase()}` : ''}
        </h1>
        {data.listings.length > 0 && (
          <div className="flex flex-wrap items-center gap-2">
            <ShareComparison />
            <button
              type="button"
              className="text-sm text-stone-600 underline"
              onClick={() => actions.clear()}
            >
              <FormattedMessage id="compare.comparePage.clear" />
            </button>
          </div>
        )}
      </div>
      {data.listings.length === 0 ? (
        <EmptyState title={t('compare.comparePage.nothingCompareYet')}>
          <FormattedMessage
            id="compare.comparePage.pressCompareUpFour"
            values={{
              link: (chunks) => (
                <Link to="/search" className={textLink}>
                  {chunks}
                </Link>
              ),
            }}
          />
        </EmptyState>
      ) : (
        <CompareTable comparison={data} onRemove={(id) => actions.remove(id)} />
      )}
    </div>
  );
}
