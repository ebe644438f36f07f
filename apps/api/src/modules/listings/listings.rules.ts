import {
  type CategoryDetail,
  type FieldError,
  type Listing,
  type PriceInput,
  validateAttributeValues,
} from '@souk/contracts';
import { defineMachine } from '../../platform/state-machine.js';
import { listingError } from './listings.errors.js';
import type { ListingEvents, PriceFacts } from './listings.events.js';
import type { Contact, ListingRow, ListingStatus, NewListingRow } from './listings.schema.js';

/**
 * The listing's rules with no I/O: what a write stores, when a listing may change status, and
 * what its events say. The lifecycle and the import both decide by these, so they cannot drift.
 */

export const DEFAULT_CONTACT: Contact = { messages: true, phone: false, offers: true };
export const PUBLIC_COORDINATE_DECIMALS = 2; // about 1.1 km at the equator

/** Plain text kept plain: no control characters, \n line ends, at most one blank line in a row. */
export function cleanDescription(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n\t ]/g, ' ')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function priceColumns(
  price: PriceInput | undefined,
): Pick<NewListingRow, 'priceType' | 'priceAmount' | 'currency'> {
  if (!price) return { priceType: null, priceAmount: null, currency: null };
  if (price.type === 'free') return { priceType: 'free', priceAmount: null, currency: null };
  return { priceType: price.type, priceAmount: price.amount ?? null, currency: price.currency };
}

export function priceOf(row: Pick<ListingRow, 'priceType' | 'priceAmount' | 'currency'>): Listing['price'] {
  if (!row.priceType) return null;
  if (row.priceType === 'free') return { type: 'free', amount: null, currency: null };
  return {
    type: row.priceType,
    amount: row.priceAmount,
    currency: row.currency as NonNullable<Listing['price']>['currency'],
  };
}

/**
 * A showcase post presents a product; it is not offered for a price (the product's own page
 * says what it costs), so a price on one is refused rather than silently dropped.
 */
export function assertNoShowcasePrice(price: PriceInput | undefined) {
  if (price === undefined) return;
  throw listingError('invalid_price', 'A showcase post has no price.', [
    { path: 'body.price', message: 'leave it out for a showcase post' },
  ]);
}

/** What publishing needs; each gap is one error pointing at the field to fill. */
export function completenessErrors(
  row: Pick<
    ListingRow,
    'attributes' | 'title' | 'description' | 'kind' | 'priceType' | 'priceAmount' | 'locationId' | 'quantity'
  >,
  category: CategoryDetail | null,
): FieldError[] {
  if (!category) return [{ path: 'body.categoryId', message: 'pick a category' }];
  const errors = validateAttributeValues(category.attributes, row.attributes, { complete: true });
  if (row.title.trim().length < 3)
    errors.push({ path: 'body.title', message: 'needs at least 3 characters' });
  if (row.description.trim().length < 10)
    errors.push({ path: 'body.description', message: 'needs at least 10 characters' });
  if (row.kind !== 'showcase' && !row.priceType)
    errors.push({ path: 'body.price', message: 'set a price, or mark it free' });
  if (row.priceType === 'fixed' && row.priceAmount === null)
    errors.push({ path: 'body.price.amount', message: 'is required for a fixed price' });
  // A showcase post is a product, not goods in a place: it needs no city.
  if (!row.locationId && row.kind !== 'showcase')
    errors.push({ path: 'body.locationId', message: 'pick a city' });
  if (row.kind === 'classified' && row.quantity < 1)
    errors.push({ path: 'body.quantity', message: 'must be at least 1' });
  return errors;
}

/** One error per field and message (the completeness check repeats the attribute errors). */
export function dedupeErrors(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.path}\n${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type ListingAction = 'publish' | 'unpublish' | 'sell' | 'expire' | 'renew' | 'remove';
/** Publishing asks whether the row is complete for its category (read before the transaction). */
export type ListingGuardContext = { row: ListingRow; category: CategoryDetail | null };

/** The one transitions table: the lifecycle's writes and the import's plan both ask it. */
export const listingMachine = defineMachine<ListingStatus, ListingAction, ListingGuardContext>({
  entity: 'listing',
  states: ['draft', 'active', 'sold', 'expired', 'removed'],
  initial: 'draft',
  final: ['removed'],
  transitions: [
    {
      from: 'draft',
      event: 'publish',
      to: 'active',
      guard: {
        name: 'complete',
        check: ({ row, category }) => {
          const errors = completenessErrors(row, category?.id === row.categoryId ? category : null);
          return errors.length > 0
            ? listingError('listing_incomplete', 'Fill in what errors lists, then publish.', errors)
            : null;
        },
      },
    },
    { from: 'active', event: 'unpublish', to: 'draft' },
    { from: 'active', event: 'sell', to: 'sold' },
    { from: 'active', event: 'expire', to: 'expired' },
    { from: 'expired', event: 'renew', to: 'active' },
    { from: ['draft', 'active', 'sold', 'expired'], event: 'remove', to: 'removed' },
  ],
  invalid: ({ state, to }) =>
    listingError('invalid_transition', `A ${state} listing cannot become ${to ?? 'that'}.`),
});

/** The event each action publishes, in the transaction of its write. */
export const ACTION_EVENTS = {
  publish: 'listing.published',
  unpublish: 'listing.unpublished',
  sell: 'listing.sold',
  expire: 'listing.expired',
  renew: 'listing.renewed',
  remove: 'listing.removed',
} as const satisfies Record<ListingAction, keyof ListingEvents>;
export type StatusEvent = (typeof ACTION_EVENTS)[ListingAction];

/** The columns an action sets besides the status (`ttlDays`: how long a publication runs). */
export function actionValues(
  action: ListingAction,
  row: { publishedAt?: Date | null | undefined },
  now: Date,
  ttlDays: number,
): Partial<NewListingRow> {
  const expiresAt = new Date(now.getTime() + ttlDays * 86_400_000);
  switch (action) {
    case 'publish':
      return { publishedAt: row.publishedAt ?? now, expiresAt };
    case 'renew':
      return { publishedAt: now, expiresAt };
    case 'sell':
      return { soldAt: now };
    case 'remove':
      return { deletedAt: now };
    case 'unpublish':
    case 'expire':
      return {};
  }
}

/** The status changes an import may ask for: those a seller makes through the API as well. */
const IMPORT_ACTIONS: readonly ListingAction[] = ['publish', 'unpublish', 'renew'];

/**
 * An import row's status against the listing's current one: no change, the action to take, or
 * the reason it is refused (a new listing starts as a draft or goes straight to active).
 */
export function importStatusChange(
  from: ListingStatus | null,
  to: ListingStatus,
): { action: ListingAction | null } | { error: string } {
  if (from === null) {
    return to === 'draft' || to === 'active'
      ? { action: null }
      : { error: 'must be draft or active for a new listing' };
  }
  if (from === to) return { action: null };
  const action = listingMachine.eventsBetween(from, to).find((event) => IMPORT_ACTIONS.includes(event));
  return action ? { action } : { error: `a ${from} listing cannot become ${to}` };
}

/** The status events' payload: who, what changed, and the facts of the listing that do not change. */
export function statusChange(row: ListingRow, to: ListingStatus): ListingEvents['listing.unpublished'] {
  return { listingId: row.id, sellerId: row.sellerId, from: row.status, to };
}

/**
 * `listing.published` carries what subscribers show and match on (title, price, category, place,
 * cover), so that search alerts, follows and the showcase need not read the listing back.
 */
export function publishedEvent(
  before: Pick<ListingRow, 'id' | 'sellerId' | 'status'>,
  after: Pick<
    ListingRow,
    'title' | 'kind' | 'categoryId' | 'locationId' | 'priceType' | 'priceAmount' | 'currency' | 'publishedAt'
  >,
  coverImageId: string | null,
): ListingEvents['listing.published'] {
  return {
    listingId: before.id,
    sellerId: before.sellerId,
    from: before.status,
    to: 'active',
    title: after.title,
    kind: after.kind,
    categoryId: after.categoryId,
    locationId: after.locationId,
    price: plainPrice(priceOf(after)),
    publishedAt: (after.publishedAt ?? new Date()).toISOString(),
    coverImageId,
  };
}

function plainPrice(price: Listing['price']): PriceFacts {
  return { type: price?.type ?? null, amount: price?.amount ?? null, currency: price?.currency ?? null };
}

/** The one builder of `listing.price_changed`: null when the price did not change. */
export function priceChangedEvent(
  before: Pick<ListingRow, 'id' | 'sellerId' | 'priceType' | 'priceAmount' | 'currency'>,
  after: Pick<ListingRow, 'priceType' | 'priceAmount' | 'currency'>,
): ListingEvents['listing.price_changed'] | null {
  const from = plainPrice(priceOf(before));
  const to = plainPrice(priceOf(after));
  if (from.type === to.type && from.amount === to.amount && from.currency === to.currency) return null;
  return { listingId: before.id, sellerId: before.sellerId, from, to };
}
