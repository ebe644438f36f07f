import type { Listing, ListingSummary } from '@souk/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link, useNavigate } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { formatDate } from '../../lib/format';
import { dangerButton, primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { isEmailUnverified, VerifyEmailPrompt } from '../account/verify-email-prompt';
import { useCategory } from '../catalog/catalog-queries';
import { editListingPath, missingItems } from '../sell/sell-steps';
import { StatusBadge } from './listing-badges';
import { type ListingAction, useDeleteListing, useListingAction } from './listings-queries';
import { MissingChecklist } from './missing-checklist';

const STATUS_HELP: Record<Listing['status'], string> = {
  draft: 'Only you can see this draft. Publish it when it is ready.',
  active: 'Live: buyers can find it.',
  sold: 'Marked as sold. Buyers can still open it, but it is out of the lists.',
  expired: 'Expired: out of the lists until you renew it.',
  removed: 'Removed by a moderator.',
};

const ACTION_LABELS: Record<ListingAction, { idle: string; pending: string; done: string }> = {
  publish: { idle: 'Publish', pending: 'Publishing…', done: 'Your listing is live.' },
  unpublish: { idle: 'Unpublish', pending: 'Unpublishing…', done: 'Your listing is a draft again.' },
  sold: { idle: 'Mark as sold', pending: 'Saving…', done: 'Marked as sold. Congratulations!' },
  renew: { idle: 'Renew', pending: 'Renewing…', done: 'Renewed: your listing is live again.' },
};

export function actionsFor(status: Listing['status']): ListingAction[] {
  switch (status) {
    case 'draft':
      return ['publish'];
    case 'active':
      return ['sold', 'unpublish'];
    case 'expired':
      return ['renew'];
    default:
      return [];
  }
}

type ListingActionsProps = {
  listing: Pick<ListingSummary, 'id' | 'title' | 'status' | 'category'>;
  /** Where to go after deleting; stays put (the list refreshes) when not given. */
  afterDelete?: string;
  compact?: boolean;
};

/** Edit, the lifecycle steps that fit the status, and delete behind a confirmation. */
export function ListingActions({ listing, afterDelete, compact = false }: ListingActionsProps) {
  const t = useT();
  const action = useListingAction();
  const remove = useDeleteListing();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const deleteButtonRef = useRef<HTMLButtonElement>(null);
  const confirmId = useId();
  const category = useCategory(listing.category.slug);
  const button = compact ? 'px-3.5 py-2' : '';
  const lastAction = action.variables?.action;
  const incomplete = action.error instanceof ApiError && action.error.code === 'listing_incomplete';

  useEffect(() => {
    if (confirming) confirmRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [confirming]);

  function run(kind: ListingAction) {
    setDone(null);
    action.mutate({ id: listing.id, action: kind }, { onSuccess: () => setDone(ACTION_LABELS[kind].done) });
  }

  function confirmDelete() {
    remove.mutate(listing.id, {
      onSuccess: () => {
        setConfirming(false);
        if (afterDelete) navigate(afterDelete, { state: { notice: `“${listing.title}” was deleted.` } });
      },
    });
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {listing.status !== 'removed' && (
          <Link to={editListingPath(listing.id)} className={`${secondaryButton} ${button}`}>
            <FormattedMessage id="listings.ownerPanel.edit" />
            {compact && <span className="sr-only"> “{listing.title}”</span>}
          </Link>
        )}
        {actionsFor(listing.status).map((kind) => (
          <button
            key={kind}
            type="button"
            onClick={() => run(kind)}
            disabled={action.isPending}
            aria-busy={(action.isPending && lastAction === kind) || undefined}
            className={`${kind === 'publish' || kind === 'renew' ? primaryButton : secondaryButton} ${button}`}
          >
            {action.isPending && lastAction === kind ? ACTION_LABELS[kind].pending : ACTION_LABELS[kind].idle}
            {compact && <span className="sr-only"> “{listing.title}”</span>}
          </button>
        ))}
        {listing.status !== 'removed' && (
          <button
            ref={deleteButtonRef}
            type="button"
            onClick={() => setConfirming(true)}
            aria-expanded={confirming}
            aria-controls={confirmId}
            className={`${secondaryButton} ${button} text-red-700 hover:border-red-600 hover:text-red-800`}
          >
            <FormattedMessage id="listings.ownerPanel.delete" />
            {compact && <span className="sr-only"> “{listing.title}”</span>}
          </button>
        )}
      </div>
      <div id={confirmId} ref={confirmRef} hidden={!confirming}>
        {confirming && (
          <div
            role="alertdialog"
            aria-label={t('listings.ownerPanel.deleteListing')}
            className="rounded-2xl border border-red-200 bg-red-50 p-4"
          >
            <p className="text-sm font-semibold text-red-900">
              <FormattedMessage id="listings.ownerPanel.delete2" values={{ title: listing.title }} />
            </p>
            <p className="mt-1 text-sm text-red-800">
              <FormattedMessage id="listings.ownerPanel.disappearsFromSoukFrom" />
            </p>
            <div className="mt-3 flex flex-wrap gap-2">
              <button
                type="button"
                onClick={confirmDelete}
                disabled={remove.isPending}
                className={dangerButton}
              >
                {remove.isPending ? t('listings.ownerPanel.deleting') : t('listings.ownerPanel.yesDelete')}
              </button>
              <button
                type="button"
                onClick={() => {
                  setConfirming(false);
                  remove.reset();
                  deleteButtonRef.current?.focus();
                }}
                className={secondaryButton}
              >
                <FormattedMessage id="listings.ownerPanel.keep" />
              </button>
            </div>
            {remove.isError && (
              <div className="mt-3">
                <FormAlert tone="error">{describeError(remove.error)}</FormAlert>
              </div>
            )}
          </div>
        )}
      </div>
      {incomplete && (
        <MissingChecklist
          items={missingItems(action.error, category.data?.attributes)}
          listingId={listing.id}
        />
      )}
      {isEmailUnverified(action.error) ? (
        <VerifyEmailPrompt action="publish" error={action.error} />
      ) : (
        action.isError && !incomplete && <FormAlert tone="error">{describeError(action.error)}</FormAlert>
      )}
      {done && !action.isError && <FormAlert tone="success">{done}</FormAlert>}
    </div>
  );
}

/** On the listing page, for its owner: the status, what it means, and what can be done. */
export function OwnerPanel({ listing }: { listing: Listing }) {
  return (
    <section
      aria-labelledby="owner-panel-heading"
      className="rounded-3xl border border-brand-200 bg-brand-50 p-5"
    >
      <h2
        id="owner-panel-heading"
        className="flex flex-wrap items-center gap-2 text-sm font-semibold text-stone-900"
      >
        <FormattedMessage id="listings.ownerPanel.yourListing" /> <StatusBadge status={listing.status} />
      </h2>
      <p className="mt-1 text-sm text-stone-700">{STATUS_HELP[listing.status]}</p>
      {listing.status === 'active' && listing.expiresAt && (
        <p className="mt-1 text-sm text-stone-700">
          <FormattedMessage
            id="listings.ownerPanel.expires"
            values={{ expiresAt: formatDate(listing.expiresAt) }}
          />
        </p>
      )}
      <div className="mt-4">
        <ListingActions listing={listing} afterDelete="/account/listings" />
      </div>
    </section>
  );
}
