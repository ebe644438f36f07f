import type { Suggestion } from '@souk/contracts';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useT } from '../../i18n/use-t';
import { suggestionPath, useSuggestions } from './suggestions-queries';

export function searchPath(query: string): string {
  const q = query.trim();
  return q ? `/search?${new URLSearchParams({ q })}` : '/search';
}

const TYPE_LABELS: Record<Suggestion['type'], string> = {
  category: 'Category',
  make: 'Make',
  model: 'Model',
  title: 'Listing',
};

/** Waits until typing pauses, so a fast typist sends one request, not one a key. */
function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function SearchForm({ className = '' }: { className?: string }) {
  const t = useT();
  const inputId = useId();
  const listId = useId();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  // On the results page the box shows what was searched; elsewhere it starts empty.
  const current = pathname === '/search' ? (params.get('q') ?? '') : '';
  const [text, setText] = useState(current);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  useEffect(() => setText(current), [current]);
  const typed = useDebounced(text, 120);
  const suggestions = useSuggestions(open ? typed : '');
  const items = open && text.trim() ? (suggestions.data?.items ?? []) : [];

  function go(path: string) {
    setOpen(false);
    setActive(-1);
    navigate(path);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const chosen = active >= 0 ? items[active] : undefined;
    if (chosen) setText(chosen.search.q ?? '');
    go(chosen ? suggestionPath(chosen) : searchPath(text));
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' && items.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((index) => (index + 1) % items.length);
    } else if (event.key === 'ArrowUp' && items.length > 0) {
      event.preventDefault();
      setActive((index) => (index <= 0 ? items.length - 1 : index - 1));
    } else if (event.key === 'Escape') {
      setOpen(false);
      setActive(-1);
    }
  }

  return (
    <search className={className}>
      <form action="/search" method="get" onSubmit={submit} className="relative">
        <label htmlFor={inputId} className="sr-only">
          <FormattedMessage id="search.searchForm.search" />
        </label>
        <input
          id={inputId}
          type="search"
          name="q"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          placeholder={t('search.searchForm.searchCarsPhonesFlats')}
          enterKeyHint="search"
          autoComplete="off"
          role="combobox"
          aria-expanded={items.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
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
          <span className="sr-only">
            <FormattedMessage id="search.searchForm.submitSearch" />
          </span>
        </button>
        {items.length > 0 && (
          <div
            id={listId}
            role="listbox"
            aria-label={t('search.searchForm.suggestions')}
            className="absolute inset-x-0 top-full z-30 mt-1 overflow-hidden rounded-xl border border-stone-200 bg-white py-1 shadow-lg"
          >
            {items.map((item, index) => (
              <div
                key={`${item.type}:${item.label}`}
                id={`${listId}-${index}`}
                role="option"
                tabIndex={-1}
                aria-selected={index === active}
                // mousedown, not click: it fires before the input's blur closes the list.
                onMouseDown={(event) => {
                  event.preventDefault();
                  setText(item.search.q ?? '');
                  go(suggestionPath(item));
                }}
                onMouseEnter={() => setActive(index)}
                className={`flex cursor-pointer items-center justify-between gap-3 px-4 py-2 text-sm ${index === active ? 'bg-brand-50 text-brand-900' : 'text-stone-800'}`}
              >
                <span className="truncate">{item.label}</span>
                <span className="shrink-0 text-xs text-stone-500">{TYPE_LABELS[item.type]}</span>
              </div>
            ))}
          </div>
        )}
      </form>
    </search>
  );
}
