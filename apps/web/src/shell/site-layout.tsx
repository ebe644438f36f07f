import { lazy, Suspense, useEffect, useRef } from 'react';
import { FormattedMessage } from 'react-intl';
import { Outlet, ScrollRestoration, useLocation } from 'react-router';
import { RouteNotice } from './route-notice';
import { SiteFooter } from './site-footer';
import { SiteHeader } from './site-header';

// Neither shows anything at first: the tray waits for something picked for comparison, the theme sync
// for a signed-in member's saved preference (this device's last choice is applied at start). Their
// queries need not be in the first chunk.
const CompareTray = lazy(() =>
  import('../features/compare/compare-tray').then(({ CompareTray }) => ({ default: CompareTray })),
);
const ThemeSync = lazy(() => import('./theme-sync').then(({ ThemeSync }) => ({ default: ThemeSync })));

export function SiteLayout() {
  const mainRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const previousPathname = useRef(pathname);

  // A client-side navigation is silent for screen readers and leaves focus on the old link; moving
  // focus to the new content puts keyboard and screen reader users where a page load would.
  useEffect(() => {
    if (previousPathname.current === pathname) return;
    previousPathname.current = pathname;
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only rounded-lg bg-white px-4 py-2 font-semibold text-brand-700 shadow-lg focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50"
      >
        <FormattedMessage id="shell.skipToContent" />
      </a>
      <SiteHeader />
      <main
        id="main"
        ref={mainRef}
        tabIndex={-1}
        className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 focus:outline-none sm:py-10"
      >
        <RouteNotice />
        <Outlet />
      </main>
      <SiteFooter />
      <Suspense fallback={null}>
        <CompareTray />
        <ThemeSync />
      </Suspense>
      <ScrollRestoration />
    </div>
  );
}
