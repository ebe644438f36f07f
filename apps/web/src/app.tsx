import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter } from 'react-router';
// From react-router/dom: only this RouterProvider honours navigate's flushSync (sign-out relies on it).
import { RouterProvider } from 'react-router/dom';
import { authKeys, markSignedOut } from './api/auth';
import { setSignedOutHandler, shouldRetry } from './api/client';
import { SiteLayout } from './components/site-layout';
import { AboutPage } from './pages/about-page';
import { AccountPage } from './pages/account-page';
import { CategoryPage } from './pages/category-page';
import { ComparePage } from './pages/compare-page';
import { DevMailboxPage } from './pages/dev-mailbox-page';
import { FavoritesPage } from './pages/favorites-page';
import { FollowingPage } from './pages/following-page';
import { ForgotPasswordPage } from './pages/forgot-password-page';
import { HomePage } from './pages/home-page';
import { ImportListingsPage } from './pages/import-listings-page';
import { ListingPage } from './pages/listing-page';
import { MyListingsPage } from './pages/my-listings-page';
import { NotFoundPage } from './pages/not-found-page';
import { NotificationsPage } from './pages/notifications-page';
import { ResetPasswordPage } from './pages/reset-password-page';
import { RouteErrorPage } from './pages/route-error-page';
import { SavedSearchesPage } from './pages/saved-searches-page';
import { SearchPage } from './pages/search-page';
import { SharedComparePage } from './pages/shared-compare-page';
import { SharedWishlistPage } from './pages/shared-wishlist-page';
import { ShowcasePage } from './pages/showcase-page';
import { SignInPage } from './pages/sign-in-page';
import { SignUpPage } from './pages/sign-up-page';
import { UnlockAccountPage } from './pages/unlock-account-page';
import { UnsubscribePage } from './pages/unsubscribe-page';
import { UserProfilePage } from './pages/user-profile-page';
import { VerifyEmailPage } from './pages/verify-email-page';

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
    children: [
      {
        // Nested under the layout so a crashing page still shows the header and footer.
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'c/:slug', element: <CategoryPage /> },
          { path: 'search', element: <SearchPage /> },
          { path: 'sign-in', element: <SignInPage /> },
          { path: 'sign-up', element: <SignUpPage /> },
          { path: 'verify-email', element: <VerifyEmailPage /> },
          { path: 'forgot-password', element: <ForgotPasswordPage /> },
          { path: 'reset-password', element: <ResetPasswordPage /> },
          { path: 'unlock-account', element: <UnlockAccountPage /> },
          { path: 'account', element: <AccountPage /> },
          { path: 'account/listings', element: <MyListingsPage /> },
          { path: 'account/listings/import', element: <ImportListingsPage /> },
          { path: 'account/searches', element: <SavedSearchesPage /> },
          // The listing form is the largest page and only sellers need it: it loads on first visit.
          {
            path: 'sell',
            lazy: () => import('./pages/sell-page').then((page) => ({ Component: page.SellPage })),
          },
          { path: 'listings/:id', element: <ListingPage /> },
          {
            path: 'listings/:id/edit',
            lazy: () => import('./pages/sell-page').then((page) => ({ Component: page.EditListingPage })),
          },
          { path: 'notifications', element: <NotificationsPage /> },
          { path: 'unsubscribe', element: <UnsubscribePage /> },
          { path: 'u/:id', element: <UserProfilePage /> },
          {
            path: 'messages',
            lazy: () => import('./pages/messages-page').then((m) => ({ Component: m.MessagesPage })),
          },
          {
            path: 'messages/:id',
            lazy: () => import('./pages/conversation-page').then((m) => ({ Component: m.ConversationPage })),
          },
          { path: 'showcase', element: <ShowcasePage /> },
          {
            path: 'showcase/new',
            lazy: () => import('./pages/showcase-new-page').then((m) => ({ Component: m.ShowcaseNewPage })),
          },
          { path: 'following', element: <FollowingPage /> },
          { path: 'account/favorites', element: <FavoritesPage /> },
          { path: 'favorites', element: <FavoritesPage /> },
          { path: 'wishlists/:token', element: <SharedWishlistPage /> },
          { path: 'compare', element: <ComparePage /> },
          { path: 'compare/shared/:token', element: <SharedComparePage /> },
          { path: 'about', element: <AboutPage /> },
          { path: 'dev/mailbox', element: <DevMailboxPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
