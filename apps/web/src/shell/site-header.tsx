import { lazy, Suspense } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link, useLocation } from 'react-router';
import { useSession } from '../features/auth/session-queries';
import { SearchForm } from '../features/search/search-form';
import { signInPath } from '../lib/safe-next';
import { SoukLogo } from './souk-logo';

const SignedInControls = lazy(() =>
  import('./signed-in-controls').then(({ SignedInControls }) => ({ default: SignedInControls })),
);

function GuestLinks() {
  const { pathname, search } = useLocation();
  // Coming back here after signing in is what people expect, except from the auth pages themselves.
  const here = pathname.startsWith('/sign-') ? '/' : `${pathname}${search}`;
  return (
    <div className="flex shrink-0 items-center gap-2">
      <Link
        to={signInPath(here)}
        className="rounded-full border border-stone-300 px-3 py-2 text-sm font-semibold text-stone-800 hover:border-brand-500 hover:text-brand-700 sm:px-4"
      >
        <FormattedMessage id="shell.header.signIn" />
      </Link>
      <Link
        to="/sign-up"
        className="rounded-full bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700 sm:px-4"
      >
        <FormattedMessage id="shell.header.signUp" />
      </Link>
    </div>
  );
}

/** The way in for sellers: straight to the listing form, or through sign-in first. */
function SellLink({ signedIn }: { signedIn: boolean }) {
  return (
    <Link
      to={signedIn ? '/sell' : signInPath('/sell')}
      className="flex shrink-0 items-center gap-1 rounded-full border border-brand-600 px-3 py-2 text-sm font-semibold text-brand-700 hover:bg-brand-50 sm:px-4"
    >
      <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="currentColor">
        <path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" />
      </svg>
      <FormattedMessage id="shell.header.sell" />
    </Link>
  );
}

export function SiteHeader() {
  const { user, status } = useSession();
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-3 px-4 py-3 sm:flex-nowrap">
        <SoukLogo />
        <SearchForm className="order-last w-full sm:order-none sm:max-w-xl sm:flex-1" />
        {status === 'loading' && <div aria-hidden="true" className="ml-auto h-10 w-36 shrink-0" />}
        {status !== 'loading' && (
          <div className="ml-auto flex shrink-0 items-center gap-2">
            <Link
              to="/showcase"
              className="inline-flex rounded-full px-2 py-2 text-sm font-semibold text-stone-700 hover:text-brand-700 sm:px-3"
            >
              <FormattedMessage id="shell.header.showcase" />
            </Link>
            <SellLink signedIn={user !== null} />
            {status === 'signed_out' && <GuestLinks />}
            {user && (
              // The same room as the three round controls, so nothing moves when they arrive.
              <Suspense fallback={<div aria-hidden="true" className="h-10 w-32 shrink-0" />}>
                <SignedInControls user={user} />
              </Suspense>
            )}
          </div>
        )}
      </div>
    </header>
  );
}
