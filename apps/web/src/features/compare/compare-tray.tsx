import { FormattedMessage } from 'react-intl';
import { Link, useLocation } from 'react-router';
import { useT } from '../../i18n/use-t';
import {
  COMPARE_MAX,
  setCompareNotice,
  useCompareActions,
  useCompareIds,
  useCompareNotice,
  useMergeGuestComparison,
} from './compare-queries';

/**
 * Sticky at the bottom of every page while something is being compared: how many, a link to
 * the comparison, clear. It also merges a guest's comparison into the account on sign-in, and
 * says why a listing could not be added.
 */
export function CompareTray() {
  const t = useT();
  useMergeGuestComparison();
  const ids = useCompareIds();
  const notice = useCompareNotice();
  const actions = useCompareActions();
  const { pathname } = useLocation();
  if (pathname.startsWith('/compare') || (ids.length === 0 && !notice)) return null;
  return (
    <>
      {/* Room at the end of the page, so the tray never hides the last of it for good. */}
      <div aria-hidden="true" className={ids.length > 0 ? 'h-28' : 'h-16'} />
      <aside
        aria-label={t('compare.compareTray.comparison')}
        className="fixed inset-x-0 bottom-0 z-40 border-t border-stone-200 bg-white/95 pb-[env(safe-area-inset-bottom)] shadow-[0_-4px_16px_rgba(0,0,0,0.08)] backdrop-blur"
      >
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          {notice && (
            <p role="status" className="flex w-full items-center justify-between gap-2 text-sm text-red-700">
              {notice}
              <button
                type="button"
                onClick={() => setCompareNotice(null)}
                className="text-stone-500 hover:text-stone-800"
                aria-label={t('compare.compareTray.dismiss')}
              >
                ✕
              </button>
            </p>
          )}
          {ids.length > 0 && (
            <>
              <p className="text-sm text-stone-700">
                <FormattedMessage
                  id="compare.compareTray.listingsCompare"
                  values={{
                    count: ids.length,
                    compareMax: COMPARE_MAX,
                    span: (chunks) => <span className="font-semibold">{chunks}</span>,
                  }}
                />
              </p>
              <div className="ml-auto flex items-center gap-2">
                <button
                  type="button"
                  onClick={() => actions.clear()}
                  className="rounded-full px-3 py-2 text-sm text-stone-600 hover:text-stone-900"
                >
                  <FormattedMessage id="compare.compareTray.clear" />
                </button>
                <Link
                  to="/compare"
                  className="rounded-full bg-brand-600 px-5 py-2 text-sm font-semibold text-white hover:bg-brand-700"
                >
                  <FormattedMessage id="compare.compareTray.compareNow" />
                </Link>
              </div>
            </>
          )}
        </div>
      </aside>
    </>
  );
}
