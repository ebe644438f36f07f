import { isRouteErrorResponse, useRouteError } from 'react-router';
import { useDocumentTitle } from '../lib/use-document-title';
import { ErrorState } from '../ui/error-state';
import { NotFoundPage } from './not-found-page';

function UnexpectedError() {
  useDocumentTitle('Something went wrong');
  return (
    <ErrorState
      title="Something went wrong"
      message="This page hit an unexpected error. Reloading usually helps."
      onRetry={() => window.location.reload()}
    />
  );
}

export function RouteErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return <UnexpectedError />;
}
