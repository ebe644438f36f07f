import { isRouteErrorResponse, useRouteError } from 'react-router';
import { useT } from '../i18n/use-t';
import { useDocumentTitle } from '../lib/use-document-title';
import { ErrorState } from '../ui/error-state';
import { NotFoundPage } from './not-found-page';

function UnexpectedError() {
  const t = useT();
  useDocumentTitle(t('shell.error.title'));
  return (
    <ErrorState
      title={t('shell.error.title')}
      message={t('shell.error.message')}
      onRetry={() => window.location.reload()}
    />
  );
}

export function RouteErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return <UnexpectedError />;
}
