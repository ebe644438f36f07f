import type { Comparison } from '@souk/contracts';
import { useId, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../../i18n/use-t';
import { listingUrl } from '../listings/listing-card';
import { ListingPhoto, NoPhoto } from '../listings/listing-photo';

/**
 * Listings side by side: a column each, a row per fact (price, condition, location, then the
 * category's attributes in schema order). Rows where the listings differ are highlighted; the
 * first column stays put while a phone scrolls sideways.
 */
export function CompareTable({
  comparison,
  onRemove,
}: {
  comparison: Comparison;
  onRemove?: ((listingId: string) => void) | undefined;
}) {
  const t = useT();
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const toggleId = useId();
  const rows = comparison.rows.filter((row) => !onlyDifferences || row.differs);
  const cell = 'border-b border-stone-200 px-2 py-2 align-top text-xs sm:px-3 sm:text-sm';
  return (
    <div>
      <label htmlFor={toggleId} className="mb-3 inline-flex items-center gap-2 text-sm text-stone-700">
        <input
          id={toggleId}
          type="checkbox"
          checked={onlyDifferences}
          onChange={(event) => setOnlyDifferences(event.target.checked)}
        />
        <FormattedMessage id="compare.compareTable.showOnlyDifferences" />
      </label>
      <div className="overflow-x-auto rounded-2xl border border-stone-200 bg-white">
        <table className="w-full border-collapse text-left">
          <caption className="sr-only">
            <FormattedMessage
              id="compare.compareTable.comparisonListingsHighlightedRows"
              values={{ count: comparison.listings.length }}
            />
          </caption>
          <thead>
            <tr>
              <th scope="col" className={`${cell} sticky left-0 z-10 w-24 bg-white sm:w-40`}>
                <span className="sr-only">
                  <FormattedMessage id="compare.compareTable.fact" />
                </span>
              </th>
              {comparison.listings.map((listing) => (
                <th key={listing.id} scope="col" className={`${cell} font-normal`}>
                  <div className="w-28 sm:w-44">
                    {listing.primaryImage ? (
                      <ListingPhoto
                        image={listing.primaryImage}
                        alt=""
                        sizes="160px"
                        className="aspect-4/3 rounded-lg"
                      />
                    ) : (
                      <NoPhoto className="aspect-4/3 rounded-lg" />
                    )}
                    <Link
                      to={listingUrl(listing.id)}
                      className="mt-2 block font-semibold text-brand-700 hover:underline"
                    >
                      {listing.title}
                    </Link>
                    {listing.status !== 'active' && (
                      <span className="mt-1 inline-block rounded-full bg-stone-200 px-2 text-xs">
                        {listing.status}
                      </span>
                    )}
                    {onRemove && (
                      <button
                        type="button"
                        onClick={() => onRemove(listing.id)}
                        className="mt-1 block text-xs text-stone-600 underline hover:text-red-700"
                        aria-label={t('compare.compareTable.removeFromComparison', { title: listing.title })}
                      >
                        <FormattedMessage id="compare.compareTable.remove" />
                      </button>
                    )}
                  </div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.key}
                data-differs={row.differs || undefined}
                className={row.differs ? 'bg-amber-50' : ''}
              >
                <th
                  scope="row"
                  className={`${cell} sticky left-0 z-10 font-medium text-stone-700 ${row.differs ? 'bg-amber-50' : 'bg-white'}`}
                >
                  {row.label}
                  {row.unit && <span className="font-normal text-stone-500"> ({row.unit})</span>}
                  {row.differs && (
                    <span className="sr-only">
                      {' '}
                      <FormattedMessage id="compare.compareTable.differs" />
                    </span>
                  )}
                </th>
                {row.values.map((value, index) => (
                  <td
                    // biome-ignore lint/suspicious/noArrayIndexKey: a value's column is its identity.
                    key={index}
                    className={`${cell} ${row.differs ? 'font-semibold text-stone-900' : 'text-stone-700'}`}
                  >
                    {value ?? <span className="text-stone-400">—</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
