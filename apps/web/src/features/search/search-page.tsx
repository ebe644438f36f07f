import type { AlertFrequency, ResolvedAttribute, SearchFacets, SearchResult } from '@souk/contracts';
import { type FormEvent, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useDocumentTitle } from '../../lib/use-document-title';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { fieldControl } from '../../ui/field-styles';
import { useSession } from '../auth/auth-queries';
import { useCategory } from '../catalog/catalog-queries';
import { ListingCard, listingGridClass } from '../listings/listing-card';
import { storedQuery, useSaveSearch, useSearch } from './search-queries';

const SORTS: [string, string][] = [
  ['relevance', 'Best match'],
  ['newest', 'Newest'],
  ['price_asc', 'Price: low to high'],
  ['price_desc', 'Price: high to low'],
  ['distance', 'Nearest'],
  ['ending_soon', 'Ending soon'],
];

/** Minor units shown in major units: the demo currencies all have two decimals. */
const toMajor = (minor: number) => Math.round(minor / 100).toLocaleString('en-US');

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const query = params.get('q')?.trim() ?? '';
  const categorySlug = params.get('category') ?? '';
  useDocumentTitle(query ? `Search: ${query}` : 'Search');
  const search = useSearch(params);
  const category = useCategory(categorySlug);

  /** Sets (or with null removes) parameters and starts from the first page. */
  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    }
    next.delete('cursor');
    setParams(next);
  }

  const first = search.data?.pages[0];
  const items = search.data?.pages.flatMap((page) => page.items) ?? [];
  const problem = search.error instanceof ApiError ? search.error : null;

  return (
    <div className="py-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold text-stone-900 sm:text-3xl">
            {query ? (
              <>
                Results for <q className="text-brand-700">{query}</q>
              </>
            ) : (
              (category.data?.name ?? 'Search')
            )}
          </h1>
          {first && (
            <p className="mt-1 text-sm text-stone-600" aria-live="polite" data-testid="search-total">
              {first.totalIsEstimate ? 'About ' : ''}
              {first.total.toLocaleString('en-US')} {first.total === 1 ? 'listing' : 'listings'}
            </p>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <label className="text-sm text-stone-600">
            Sort{' '}
            <select
              value={params.get('sort') ?? 'relevance'}
              onChange={(event) =>
                update({ sort: event.target.value === 'relevance' ? null : event.target.value })
              }
              className="rounded-lg border border-stone-300 bg-white px-2 py-1.5 text-sm"
            >
              {SORTS.filter(([value]) => value !== 'distance' || params.has('lat')).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <SaveSearchButton params={params} />
        </div>
      </div>

      <div className="mt-5 grid gap-6 lg:grid-cols-[18rem_1fr]">
        <FiltersSidebar
          params={params}
          update={update}
          facets={first?.facets ?? null}
          attributes={category.data?.attributes ?? []}
        />
        <section aria-label="Results">
          {problem && problem.status < 500 ? (
            <EmptyState title="That search cannot run">{problem.detail ?? problem.title}</EmptyState>
          ) : search.isError ? (
            <ErrorState
              title="Search failed"
              message="Try again in a moment."
              onRetry={() => search.refetch()}
            />
          ) : search.isPending ? (
            <p className="text-stone-500">Searching…</p>
          ) : items.length === 0 ? (
            <NoResults result={first} params={params} />
          ) : (
            <>
              <ul className={listingGridClass} data-testid="search-results">
                {items.map((listing, index) => (
                  <ListingCard key={listing.id} listing={listing} priority={index < 4} />
                ))}
              </ul>
              {search.hasNextPage && (
                <div className="mt-6 text-center">
                  <button
                    type="button"
                    onClick={() => search.fetchNextPage()}
                    disabled={search.isFetchingNextPage}
                    className="rounded-full border border-stone-300 bg-white px-5 py-2 text-sm font-medium hover:bg-stone-50"
                  >
                    {search.isFetchingNextPage ? 'Loading…' : 'Show more'}
                  </button>
                </div>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  );
}

function NoResults({ result, params }: { result: SearchResult | undefined; params: URLSearchParams }) {
  const corrected = result?.didYouMean;
  const next = new URLSearchParams(params);
  if (corrected) next.set('q', corrected);
  return (
    <EmptyState title="Nothing matches">
      {corrected ? (
        <>
          Did you mean{' '}
          <Link to={`/search?${next}`} className="font-semibold text-brand-700 underline">
            {corrected}
          </Link>
          ?
        </>
      ) : (
        'Try fewer words or filters. Save the search to hear when something is listed.'
      )}
    </EmptyState>
  );
}

function SaveSearchButton({ params }: { params: URLSearchParams }) {
  const { user } = useSession();
  const save = useSaveSearch();
  const [open, setOpen] = useState(false);
  const nameId = useId();
  const alertId = useId();
  if (!user) {
    return (
      <Link
        to={`/sign-in?next=${encodeURIComponent(`/search?${params}`)}`}
        className="rounded-full bg-brand-600 px-4 py-2 text-sm font-medium text-white"
      >
        Save search / alert me
      </Link>
    );
  }
  if (save.isSuccess) {
    return (
      <p className="text-sm text-green-700" role="status">
        Saved.{' '}
        <Link to="/account/searches" className="underline">
          Your saved searches
        </Link>
      </p>
    );
  }
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded-full bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
      >
        Save search / alert me
      </button>
    );
  }
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    save.mutate({
      name: String(data.get('name') ?? ''),
      alert: String(data.get('alert') ?? 'instant') as AlertFrequency,
      query: storedQuery(params),
    });
  }
  return (
    <form
      onSubmit={submit}
      className="flex flex-wrap items-end gap-2 rounded-xl border border-stone-200 bg-white p-2"
    >
      <label htmlFor={nameId} className="text-xs text-stone-600">
        Name
        <input
          id={nameId}
          name="name"
          required
          maxLength={80}
          defaultValue={params.get('q') ?? 'My search'}
          className={`${fieldControl} mt-0.5`}
        />
      </label>
      <label htmlFor={alertId} className="text-xs text-stone-600">
        Alert me
        <select id={alertId} name="alert" defaultValue="instant" className={`${fieldControl} mt-0.5`}>
          <option value="instant">At once</option>
          <option value="daily">Daily</option>
          <option value="weekly">Weekly</option>
          <option value="off">Never</option>
        </select>
      </label>
      <button
        type="submit"
        disabled={save.isPending}
        className="rounded-lg bg-brand-600 px-3 py-2 text-sm text-white"
      >
        Save
      </button>
      {save.error && <p className="text-sm text-red-700">{save.error.message}</p>}
    </form>
  );
}

type Update = (changes: Record<string, string | null>) => void;

/** A facet lists this many values; the rest are counted in a line under them. */
const SHOWN_VALUES = 30;
/** Values of a facet that are not shown: beyond SHOWN_VALUES, and those the API did not list. */
const hiddenValues = (facet: SearchFacets['attributes'][number]) =>
  Math.max(0, facet.values.length - SHOWN_VALUES) + facet.otherValues;

function FiltersSidebar({
  params,
  update,
  facets,
  attributes,
}: {
  params: URLSearchParams;
  update: Update;
  facets: SearchFacets | null;
  attributes: readonly ResolvedAttribute[];
}) {
  const numeric = attributes.filter(
    (attribute) => attribute.filterable && (attribute.type === 'integer' || attribute.type === 'decimal'),
  );
  // Counts from a sample or from stored counts that have aged are estimates: say so.
  const approx = facets?.estimated ? '~' : '';
  return (
    <aside className="space-y-5 rounded-2xl border border-stone-200 bg-white p-4" aria-label="Filters">
      {facets && facets.categories.length > 0 && (
        <fieldset>
          <legend className="text-sm font-semibold text-stone-900">Category</legend>
          <ul className="mt-2 space-y-1 text-sm">
            {params.get('category') && (
              <li>
                <button
                  type="button"
                  className="text-brand-700 underline"
                  onClick={() => update({ category: null })}
                >
                  All categories
                </button>
              </li>
            )}
            {facets.categories.slice(0, 12).map((category) => (
              <li key={category.id}>
                <button
                  type="button"
                  className="text-left hover:underline"
                  onClick={() => {
                    // Attribute filters belong to the old category's schema.
                    const changes: Record<string, string | null> = { category: category.slug };
                    for (const key of params.keys()) if (key.startsWith('attr.')) changes[key] = null;
                    update(changes);
                  }}
                >
                  {category.name}{' '}
                  <span className="text-stone-500">
                    ({approx}
                    {category.count})
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {facets?.attributes.map((facet) => {
        const chosen = new Set((params.get(`attr.${facet.key}`) ?? '').split(',').filter(Boolean));
        if (facet.values.length === 0 && chosen.size === 0) return null;
        return (
          <fieldset key={facet.key}>
            <legend className="text-sm font-semibold text-stone-900">{facet.label}</legend>
            <ul className="mt-2 max-h-48 space-y-1 overflow-y-auto text-sm">
              {facet.values.slice(0, SHOWN_VALUES).map((value) => (
                <li key={value.value}>
                  <label className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      checked={chosen.has(value.value)}
                      onChange={(event) => {
                        const next = new Set(chosen);
                        if (event.target.checked) next.add(value.value);
                        else next.delete(value.value);
                        update({ [`attr.${facet.key}`]: [...next].join(',') || null });
                      }}
                    />
                    {value.label}{' '}
                    <span className="text-stone-500">
                      ({approx}
                      {value.count})
                    </span>
                  </label>
                </li>
              ))}
            </ul>
            {hiddenValues(facet) > 0 ? (
              <p className="mt-1 text-xs text-stone-500">
                {hiddenValues(facet)} more; type one in the search box
              </p>
            ) : null}
          </fieldset>
        );
      })}
      {numeric.map((attribute) => (
        <RangeFilterField
          key={attribute.key}
          label={`${attribute.label}${'unit' in attribute && attribute.unit ? ` (${attribute.unit})` : ''}`}
          name={`attr.${attribute.key}`}
          value={params.get(`attr.${attribute.key}`) ?? ''}
          histogram={facets?.histograms.find((histogram) => histogram.key === attribute.key)}
          onApply={(value) => update({ [`attr.${attribute.key}`]: value })}
        />
      ))}
      <PriceFilter
        params={params}
        update={update}
        histogram={facets?.histograms.find((h) => h.key === 'price')}
      />
      <fieldset className="space-y-2 text-sm">
        <legend className="text-sm font-semibold text-stone-900">More</legend>
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={params.get('withPhotos') === 'true'}
            onChange={(event) => update({ withPhotos: event.target.checked ? 'true' : null })}
          />
          With photos only
        </label>
        <label className="block">
          Posted within{' '}
          <select
            value={params.get('postedWithinDays') ?? ''}
            onChange={(event) => update({ postedWithinDays: event.target.value || null })}
            className="rounded border border-stone-300 px-1 py-0.5"
          >
            <option value="">any time</option>
            <option value="1">a day</option>
            <option value="7">a week</option>
            <option value="30">a month</option>
          </select>
        </label>
        <label className="block">
          Condition{' '}
          <select
            value={params.get('condition') ?? ''}
            onChange={(event) => update({ condition: event.target.value || null })}
            className="rounded border border-stone-300 px-1 py-0.5"
          >
            <option value="">any</option>
            <option value="new">new</option>
            <option value="used">used</option>
            <option value="refurbished">refurbished</option>
          </select>
        </label>
      </fieldset>
      <DistanceFilter params={params} update={update} />
    </aside>
  );
}

type Histogram = SearchFacets['histograms'][number];

function Bars({ histogram }: { histogram: Histogram | undefined }) {
  if (!histogram || histogram.buckets.length === 0) return null;
  const top = Math.max(...histogram.buckets.map((bucket) => bucket.count));
  return (
    <div className="mt-2 flex h-10 items-end gap-px" aria-hidden="true">
      {histogram.buckets.map((bucket) => (
        <div
          key={bucket.min}
          className="flex-1 rounded-t bg-brand-200"
          style={{ height: `${Math.max(8, (bucket.count / top) * 100)}%` }}
          title={`${bucket.min}–${bucket.max ?? '…'}: ${bucket.count}`}
        />
      ))}
    </div>
  );
}

function RangeFilterField({
  label,
  name,
  value,
  histogram,
  onApply,
}: {
  label: string;
  name: string;
  value: string;
  histogram: Histogram | undefined;
  onApply: (value: string | null) => void;
}) {
  const [low = '', high = ''] = value.includes('..') ? value.split('..') : [value, value];
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const min = String(data.get('min') ?? '').trim();
    const max = String(data.get('max') ?? '').trim();
    onApply(min || max ? `${min}..${max}` : null);
  }
  return (
    <form onSubmit={submit} key={value} aria-label={label}>
      <p className="text-sm font-semibold text-stone-900">{label}</p>
      <Bars histogram={histogram} />
      <div className="mt-1 flex items-center gap-2">
        <input
          name="min"
          aria-label={`${label} from`}
          type="number"
          defaultValue={low}
          placeholder="Min"
          className={fieldControl}
        />
        <input
          name="max"
          aria-label={`${label} to`}
          type="number"
          defaultValue={high}
          placeholder="Max"
          className={fieldControl}
        />
        <button
          type="submit"
          className="rounded-lg border border-stone-300 px-2 py-2 text-sm"
          aria-label={`Apply ${name}`}
        >
          Go
        </button>
      </div>
    </form>
  );
}

function PriceFilter({
  params,
  update,
  histogram,
}: {
  params: URLSearchParams;
  update: Update;
  histogram: Histogram | undefined;
}) {
  const min = params.get('priceMin');
  const max = params.get('priceMax');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const toMinor = (raw: FormDataEntryValue | null) => {
      const text = String(raw ?? '')
        .replaceAll(',', '')
        .trim();
      return text ? String(Math.round(Number(text) * 100)) : null;
    };
    update({ priceMin: toMinor(data.get('min')), priceMax: toMinor(data.get('max')) });
  }
  return (
    <form onSubmit={submit} aria-label="Price" key={`${min}-${max}`}>
      <p className="text-sm font-semibold text-stone-900">Price</p>
      <Bars histogram={histogram} />
      <div className="mt-1 flex items-center gap-2">
        <input
          name="min"
          aria-label="Price from"
          type="number"
          defaultValue={min ? Number(min) / 100 : ''}
          placeholder="Min"
          className={fieldControl}
        />
        <input
          name="max"
          aria-label="Price to"
          type="number"
          defaultValue={max ? Number(max) / 100 : ''}
          placeholder="Max"
          className={fieldControl}
        />
        <button
          type="submit"
          className="rounded-lg border border-stone-300 px-2 py-2 text-sm"
          aria-label="Apply price"
        >
          Go
        </button>
      </div>
      {histogram && histogram.buckets.length > 0 && (
        <p className="mt-1 text-xs text-stone-500">From {toMajor(histogram.buckets[0]?.min ?? 0)} up</p>
      )}
    </form>
  );
}

function DistanceFilter({ params, update }: { params: URLSearchParams; update: Update }) {
  const [error, setError] = useState<string | null>(null);
  const active = params.has('lat');
  return (
    <fieldset className="space-y-2 text-sm">
      <legend className="text-sm font-semibold text-stone-900">Distance</legend>
      {active ? (
        <div className="flex items-center gap-2">
          <select
            value={params.get('radiusKm') ?? '25'}
            onChange={(event) => update({ radiusKm: event.target.value })}
            className="rounded border border-stone-300 px-1 py-0.5"
            aria-label="Radius"
          >
            {[5, 10, 25, 50, 100, 250].map((km) => (
              <option key={km} value={km}>
                within {km} km
              </option>
            ))}
          </select>
          <button
            type="button"
            className="text-brand-700 underline"
            onClick={() =>
              update({
                lat: null,
                lon: null,
                radiusKm: null,
                sort: params.get('sort') === 'distance' ? null : params.get('sort'),
              })
            }
          >
            Anywhere
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="rounded-lg border border-stone-300 px-3 py-1.5"
          onClick={() => {
            if (!navigator.geolocation) return setError('This browser cannot tell where you are.');
            navigator.geolocation.getCurrentPosition(
              (position) =>
                update({
                  lat: position.coords.latitude.toFixed(4),
                  lon: position.coords.longitude.toFixed(4),
                  radiusKm: '25',
                }),
              () => setError('Location was not shared.'),
            );
          }}
        >
          Near me
        </button>
      )}
      {error && <p className="text-red-700">{error}</p>}
    </fieldset>
  );
}
