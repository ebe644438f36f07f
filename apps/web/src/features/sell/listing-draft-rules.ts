import {
  CreateListingBody,
  type Listing,
  type ResolvedAttribute,
  type UpdateListingBody,
} from '@souk/contracts';
import { fieldErrorsOf } from '../../api/client';
import { type Currency, isCurrency, minorToMajorInput, parseMajorAmount } from '../../lib/money';
import { checkAttributes, toFormValues } from '../listings/listing-attributes';
import type { ChosenCategory } from './category-step';
import { type DetailsValues, type ItemConditionValue, schemaHasCondition } from './details-step';
import type { PriceValues } from './price-step';
import type { SellStep } from './sell-steps';

// The listing draft's rules, free of React: what an empty or loaded form holds, what each saving
// step checks and sends, and where a server's field error is shown.

export type EditorForm = { category: ChosenCategory | null } & DetailsValues & PriceValues;
export type Errors = Record<string, string>;

/** A category attribute named condition (vehicles: brand new, reconditioned, used) also sets the listing's. */
const CONDITION_FROM_ATTRIBUTE: Record<string, ItemConditionValue> = {
  new: 'new',
  'brand-new': 'new',
  used: 'used',
  reconditioned: 'refurbished',
  refurbished: 'refurbished',
};

export function emptyForm(): EditorForm {
  return {
    category: null,
    title: '',
    description: '',
    condition: '',
    attributes: {},
    priceType: 'fixed',
    amount: '',
    currency: 'LKR',
    quantity: '1',
    locationId: null,
    coordinates: null,
  };
}

export function formFromListing(listing: Listing): EditorForm {
  const price = listing.price as Listing['price'] | null;
  const currency: Currency = isCurrency(price?.currency) ? price.currency : 'LKR';
  return {
    category: { id: listing.category.id, slug: listing.category.slug, name: listing.category.name },
    title: listing.title,
    description: listing.description,
    condition: listing.condition ?? '',
    attributes: toFormValues(listing.attributes),
    priceType: price?.type ?? 'fixed',
    amount:
      price?.amount !== null && price?.amount !== undefined ? minorToMajorInput(price.amount, currency) : '',
    currency,
    quantity: String(listing.quantity),
    locationId: listing.location?.id ?? null,
    coordinates: listing.coordinates,
  };
}

/** What each saving step sends, as text, to skip a PATCH that would change nothing. */
export function snapshot(step: 'details' | 'price', form: EditorForm): string {
  if (step === 'details') {
    const { category, title, description, condition, attributes } = form;
    return JSON.stringify([category?.id, title, description, condition, attributes]);
  }
  const { priceType, amount, currency, quantity, locationId, coordinates } = form;
  return JSON.stringify([priceType, amount, currency, quantity, locationId, coordinates]);
}

type Checked<T> = { body: T; errors: Errors };

export function checkDetails(form: EditorForm, schema: readonly ResolvedAttribute[]) {
  const errors: Errors = {};
  const title = form.title.trim();
  // The API's own rule for a title (trimmed, 3 to 120 characters), read from the contract.
  const titleCheck = CreateListingBody.shape.title.safeParse(title);
  if (!titleCheck.success) {
    errors.title = !title
      ? 'is required'
      : titleCheck.error.issues[0]?.code === 'too_big'
        ? 'use at most 120 characters'
        : 'use at least 3 characters';
  }
  const attributes = checkAttributes(schema, form.attributes);
  for (const [key, message] of Object.entries(attributes.errors)) errors[`attributes.${key}`] = message;
  const fromAttribute = schemaHasCondition(schema) ? form.attributes.condition : undefined;
  const condition =
    typeof fromAttribute === 'string'
      ? CONDITION_FROM_ATTRIBUTE[fromAttribute] || null
      : form.condition || null;
  return {
    body: { title, description: form.description, condition, attributes: attributes.values },
    errors,
  };
}

export function checkPrice(form: EditorForm, showcase = false): Checked<UpdateListingBody> {
  const errors: Errors = {};
  let price: UpdateListingBody['price'];
  // A showcase post has no price (the API refuses one): only quantity and place are saved.
  if (showcase) price = undefined;
  else if (form.priceType === 'free') price = { type: 'free' };
  else if (form.priceType === 'negotiable' && form.amount.trim() === '') {
    price = { type: 'negotiable', amount: null, currency: form.currency };
  } else {
    const parsed = parseMajorAmount(form.amount, form.currency);
    if (parsed.ok) price = { type: form.priceType, amount: parsed.minor, currency: form.currency };
    else errors['price.amount'] = parsed.message;
  }
  const quantityText = form.quantity.trim();
  const quantity = Number(quantityText);
  if (!/^\d+$/.test(quantityText) || !CreateListingBody.shape.quantity.safeParse(quantity).success)
    errors.quantity = 'use a whole number from 0 to 100,000';
  return {
    body: { price, quantity, locationId: form.locationId, coordinates: form.coordinates },
    errors,
  };
}

/** Field errors from the server, keyed the way the form's controls know them. */
export function serverFieldErrors(error: unknown): Errors {
  const result: Errors = {};
  for (const [field, message] of Object.entries(fieldErrorsOf(error))) {
    const key = field.startsWith('coordinates')
      ? 'coordinates'
      : field === 'price.type'
        ? 'price'
        : field === 'categoryId'
          ? 'category'
          : field;
    result[key] ??= message;
  }
  return result;
}

export function shownOn(step: SellStep, key: string, schema: readonly ResolvedAttribute[]): boolean {
  if (step === 'details') {
    if (['title', 'description', 'condition'].includes(key))
      return key !== 'condition' || !schemaHasCondition(schema);
    return key.startsWith('attributes.') && schema.some((attribute) => `attributes.${attribute.key}` === key);
  }
  if (step === 'price') {
    return ['price', 'price.amount', 'price.currency', 'quantity', 'locationId', 'coordinates'].includes(key);
  }
  return false;
}
