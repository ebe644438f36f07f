import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { createBrowserRouter } from 'react-router';
// From react-router/dom: only this RouterProvider honours navigate's flushSync (sign-out relies on it).
import { RouterProvider } from 'react-router/dom';
import { setSignedOutHandler, shouldRetry } from './api/client';
import { authKeys, markSignedOut } from './features/auth/session-queries';
import { catalogReady } from './i18n/catalog';
import { I18nProvider } from './i18n/i18n-provider';
import { NotFoundPage } from './shell/not-found-page';
import { RouteErrorPage } from './shell/route-error-page';
import { SiteLayout } from './shell/site-layout';

// Each feature's pages are one chunk, loaded when a route of that feature is first visited; the
// shell (header, footer, session) is the only code every page pays for.
// A page renders with the reader's whole message catalog, fetched beside the first page's chunk
// (i18n/catalog.ts); if either fails to arrive, the route's error page says so.
type Pages = Record<string, unknown>;
function page<M extends Pages>(load: () => Promise<M>, name: keyof M & string) {
  return async () => {
    const [pages] = await Promise.all([load(), catalogReady()]);
    return { Component: pages[name] as ComponentType };
  };
}
const about = () => import('./features/about/pages');
const account = () => import('./features/account/pages');
const auth = () => import('./features/auth/pages');
const catalog = () => import('./features/catalog/pages');
const compare = () => import('./features/compare/pages');
const devMailbox = () => import('./features/dev-mailbox/pages');
const favorites = () => import('./features/favorites/pages');
const follows = () => import('./features/follows/pages');
const home = () => import('./features/home/pages');
const listings = () => import('./features/listings/pages');
const messaging = () => import('./features/messaging/pages');
const notifications = () => import('./features/notifications/pages');
const profile = () => import('./features/profile/pages');
const search = () => import('./features/search/pages');
const sell = () => import('./features/sell/pages');
const showcase = () => import('./features/showcase/pages');

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: shouldRetry, staleTime: 30_000 },
  },
});

// A session that ended under us (expired, revoked elsewhere) shows as signed out everywhere at once.
setSignedOutHandler(() => {
  if (queryClient.getQueryData(authKeys.session())) markSignedOut(queryClient);
});

const router = createBrowserRouter([
  {
    element: <SiteLayout />,
    // Shown only while the first page's chunk loads, before the layout can render.
    HydrateFallback: () => null,
    children: [
      {
        // Nested under the layout so a crashing page still shows the header and footer.
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, lazy: page(home, 'HomePage') },
          { path: 'c/:slug', lazy: page(catalog, 'CategoryPage') },
          { path: 'search', lazy: page(search, 'SearchPage') },
          { path: 'sign-in', lazy: page(auth, 'SignInPage') },
          { path: 'sign-up', lazy: page(auth, 'SignUpPage') },
          { path: 'verify-email', lazy: page(auth, 'VerifyEmailPage') },
          { path: 'forgot-password', lazy: page(auth, 'ForgotPasswordPage') },
          { path: 'reset-password', lazy: page(auth, 'ResetPasswordPage') },
          { path: 'unlock-account', lazy: page(auth, 'UnlockAccountPage') },
          { path: 'account', lazy: page(account, 'AccountPage') },
          { path: 'account/listings', lazy: page(listings, 'MyListingsPage') },
          { path: 'account/listings/import', lazy: page(sell, 'ImportListingsPage') },
          { path: 'account/searches', lazy: page(search, 'SavedSearchesPage') },
          {
            path: 'sell',
            lazy: page(sell, 'SellPage'),
          },
          { path: 'listings/:id', lazy: page(listings, 'ListingPage') },
          {
            path: 'listings/:id/edit',
            lazy: page(sell, 'EditListingPage'),
          },
          { path: 'notifications', lazy: page(notifications, 'NotificationsPage') },
          { path: 'unsubscribe', lazy: page(notifications, 'UnsubscribePage') },
          { path: 'u/:id', lazy: page(profile, 'UserProfilePage') },
          {
            path: 'messages',
            lazy: page(messaging, 'MessagesPage'),
          },
          {
            path: 'messages/:id',
            lazy: page(messaging, 'ConversationPage'),
          },
          { path: 'showcase', lazy: page(showcase, 'ShowcasePage') },
          {
            path: 'showcase/new',
            lazy: page(showcase, 'ShowcaseNewPage'),
          },
          { path: 'following', lazy: page(follows, 'FollowingPage') },
          { path: 'account/favorites', lazy: page(favorites, 'FavoritesPage') },
          { path: 'account/wallet', lazy: page(() => import('./features/wallet/pages'), 'WalletPage') },
          { path: 'favorites', lazy: page(favorites, 'FavoritesPage') },
          { path: 'wishlists/:token', lazy: page(favorites, 'SharedWishlistPage') },
          { path: 'compare', lazy: page(compare, 'ComparePage') },
          { path: 'compare/shared/:token', lazy: page(compare, 'SharedComparePage') },
          { path: 'about', lazy: page(about, 'AboutPage') },
          { path: 'dev/mailbox', lazy: page(devMailbox, 'DevMailboxPage') },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

export function App() {
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </I18nProvider>
  );
}
