import { useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { signInPath } from '../../lib/safe-next';
import { useDocumentTitle } from '../../lib/use-document-title';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { primaryButton, secondaryButton, textLink } from '../../ui/form/buttons';
import { useSession } from '../auth/auth-queries';
import { useCompareActions, useComparison, useShareComparison } from './compare-queries';
import { CompareTable } from './compare-table';

function ShareComparison() {
  const { user } = useSession();
  const share = useShareComparison();
  const [copied, setCopied] = useState(false);
  if (!user) {
    return (
      <Link to={signInPath('/compare')} className={secondaryButton}>
        Sign in to share
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
        Share
      </button>
      {url && (
        <>
          <input
            readOnly
            value={url}
            aria-label="Comparison link"
            className="min-w-0 flex-1 rounded border border-stone-300 bg-stone-50 px-2 py-1 font-mono text-xs"
            onFocus={(event) => event.target.select()}
          />
          <button
            type="button"
            className={textLink}
            onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(true))}
          >
            {copied ? 'Copied' : 'Copy'}
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
  useDocumentTitle('Compare');
  const comparison = useComparison();
  const actions = useCompareActions();
  if (comparison.isPending) {
    return (
      <p role="status" className="py-10 text-center text-stone-600">
        Loading the comparison…
      </p>
    );
  }
  if (!comparison.data) {
    return (
      <ErrorState
        title="We couldn't load the comparison"
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
          Compare{data.topCategory ? ` ${data.topCategory.name.toLowerCase()}` : ''}
        </h1>
        {data.listings.length > 0 && (
          <div className="flex flex-wrap items-center gap-2">
            <ShareComparison />
            <button
              type="button"
              className="text-sm text-stone-600 underline"
              onClick={() => actions.clear()}
            >
              Clear
            </button>
          </div>
        )}
      </div>
      {data.listings.length === 0 ? (
        <EmptyState title="Nothing to compare yet">
          Press “Compare” on up to four listings of the same kind.{' '}
          <Link to="/search" className={textLink}>
            Browse listings
          </Link>
        </EmptyState>
      ) : (
        <CompareTable comparison={data} onRemove={(id) => actions.remove(id)} />
      )}
    </div>
  );
}
