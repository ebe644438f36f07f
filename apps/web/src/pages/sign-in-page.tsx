import { Link } from 'react-router';
import { useDocumentTitle } from '../lib/use-document-title';

export function SignInPage() {
  useDocumentTitle('Sign in');
  return (
    <div className="mx-auto max-w-md py-6 text-center">
      <h1 className="text-2xl font-bold text-stone-900 sm:text-3xl">Sign in</h1>
      <p className="mt-3 text-stone-600">
        Accounts are coming soon. Until then you can browse every category without one.
      </p>
      <Link
        to="/"
        className="mt-6 inline-block rounded-full bg-brand-600 px-5 py-2.5 font-semibold text-white hover:bg-brand-700"
      >
        Browse categories
      </Link>
    </div>
  );
}
