import type { ListingStatus } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';

export const STATUS_LABELS: Record<ListingStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  sold: 'Sold',
  expired: 'Expired',
  removed: 'Removed',
};

const statusClass: Record<ListingStatus, string> = {
  draft: 'bg-stone-100 text-stone-800 border-stone-300',
  active: 'bg-emerald-50 text-emerald-900 border-emerald-200',
  sold: 'bg-sky-50 text-sky-900 border-sky-200',
  expired: 'bg-amber-50 text-amber-950 border-amber-200',
  removed: 'bg-red-50 text-red-900 border-red-200',
};

export function StatusBadge({ status }: { status: ListingStatus }) {
  return (
    <span
      className={`inline-flex items-center rounded-full border px-2.5 py-0.5 text-xs font-semibold ${statusClass[status]}`}
    >
      {STATUS_LABELS[status]}
    </span>
  );
}

export function FeaturedBadge({ className = '' }: { className?: string }) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full bg-brand-600 px-2.5 py-0.5 text-xs font-semibold text-white ${className}`}
    >
      <svg viewBox="0 0 20 20" aria-hidden="true" className="size-3.5" fill="currentColor">
        <path d="M10 1.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L10 14.9l-5.2 2.7 1-5.8L1.5 7.7l5.9-.9L10 1.5Z" />
      </svg>
      <FormattedMessage id="listings.listingBadges.featured" />
    </span>
  );
}
