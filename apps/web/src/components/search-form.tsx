import { type FormEvent, useId } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';

export function searchPath(query: string): string {
  const q = query.trim();
  return q ? `/search?${new URLSearchParams({ q })}` : '/search';
}

export function SearchForm({ className = '' }: { className?: string }) {
  const inputId = useId();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  // On the results page the box shows what was searched; elsewhere it starts empty.
  const current = pathname === '/search' ? (params.get('q') ?? '') : '';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const query = new FormData(event.currentTarget).get('q');
    navigate(searchPath(typeof query === 'string' ? query : ''));
  }

  return (
    <search className={className}>
      <form action="/search" method="get" onSubmit={submit} className="relative">
        <label htmlFor={inputId} className="sr-only">
          Search
        </label>
        <input
          key={current}
          id={inputId}
          type="search"
          name="q"
          defaultValue={current}
          placeholder="Search cars, phones, flats…"
          enterKeyHint="search"
          autoComplete="off"
          className="block w-full rounded-full border border-stone-300 bg-stone-50 py-2.5 pr-12 pl-4 text-base text-stone-900 placeholder:text-stone-500 focus-visible:border-brand-500 focus-visible:bg-white sm:text-sm"
        />
        <button
          type="submit"
          className="absolute inset-y-1 right-1 flex w-10 items-center justify-center rounded-full bg-brand-600 text-white hover:bg-brand-700"
        >
          <svg
            viewBox="0 0 20 20"
            aria-hidden="true"
            focusable="false"
            className="size-4"
            fill="none"
            stroke="currentColor"
            strokeWidth="2.2"
            strokeLinecap="round"
          >
            <circle cx="8.5" cy="8.5" r="5.5" />
            <path d="m13 13 4.5 4.5" />
          </svg>
          <span className="sr-only">Submit search</span>
        </button>
      </form>
    </search>
  );
}
