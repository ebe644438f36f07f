import { Link } from 'react-router';
import { SearchForm } from './search-form';
import { SoukLogo } from './souk-logo';

export function SiteHeader() {
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-3 px-4 py-3 sm:flex-nowrap">
        <SoukLogo />
        <SearchForm className="order-last w-full sm:order-none sm:max-w-xl sm:flex-1" />
        <Link
          to="/sign-in"
          className="ml-auto shrink-0 rounded-full border border-stone-300 px-4 py-2 text-sm font-semibold text-stone-800 hover:border-brand-500 hover:text-brand-700"
        >
          Sign in
        </Link>
      </div>
    </header>
  );
}
