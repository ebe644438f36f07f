import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../i18n/use-t';
import { useDocumentTitle } from '../lib/use-document-title';

type NotFoundPageProps = { title?: string; message?: string };

export function NotFoundPage(props: NotFoundPageProps) {
  const t = useT();
  const title = props.title ?? t('shell.notFound.title');
  const message = props.message ?? t('shell.notFound.message');
  useDocumentTitle(title);
  return (
    <div className="mx-auto max-w-md py-10 text-center">
      <p aria-hidden="true" className="text-6xl">
        🧭
      </p>
      <h1 className="mt-4 text-2xl font-bold text-stone-900">{title}</h1>
      <p className="mt-2 text-stone-600">{message}</p>
      <Link
        to="/"
        className="mt-6 inline-block rounded-full bg-brand-600 px-5 py-2.5 font-semibold text-white hover:bg-brand-700"
      >
        <FormattedMessage id="shell.notFound.home" />
      </Link>
    </div>
  );
}
