import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { shouldRetry } from './api/client';
import { SiteLayout } from './components/site-layout';
import { AboutPage } from './pages/about-page';
import { CategoryPage } from './pages/category-page';
import { HomePage } from './pages/home-page';
import { NotFoundPage } from './pages/not-found-page';
import { RouteErrorPage } from './pages/route-error-page';
import { SearchPage } from './pages/search-page';
import { SignInPage } from './pages/sign-in-page';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: shouldRetry, staleTime: 30_000 },
  },
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
          { path: 'about', element: <AboutPage /> },
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
