import type { CategoryDetail } from '@souk/contracts';
import { formatAttributeValue, validateAttributeValues } from '@souk/contracts';
import { describe, expect, it } from 'vitest';
import {
  actionValues,
  completenessErrors,
  importStatusChange,
  listingMachine,
  priceChangedEvent,
  publishedEvent,
} from './listings.rules.js';
import type { ListingRow } from './listings.schema.js';

const category = {
  id: '01900000-0000-7000-8000-000000000001',
  attributes: [
    { key: 'year', label: 'Year', type: 'integer', required: true, min: 1950, max: 2030 },
    { key: 'payloadKg', label: 'Payload', type: 'integer', required: false, unit: 'kg', shownInCard: true },
    { key: 'mileageKm', label: 'Mileage', type: 'integer', required: false, unit: 'km' },
  ],
} as unknown as CategoryDetail;

function row(overrides: Partial<ListingRow> = {}): ListingRow {
  return {
    id: '01900000-0000-7000-8000-0000000000aa',
    sellerId: '01900000-0000-7000-8000-0000000000bb',
    categoryId: category.id,
    kind: 'classified',
    status: 'draft',
    title: 'Toyota Corolla',
    description: 'A well kept family car.',
    priceType: 'fixed',
    priceAmount: 450_000_000,
    currency: 'LKR',
    locationId: '01900000-0000-7000-8000-0000000000cc',
    quantity: 1,
    attributes: { year: 2018 },
    publishedAt: null,
    ...overrides,
  } as ListingRow;
}

describe('the listing transitions table', () => {
  it('publishes a complete draft, and refuses an incomplete one with the fields to fill', () => {
    expect(listingMachine.transition('draft', 'publish', { row: row(), category }).to).toBe('active');
    const attempt = listingMachine.attempt('draft', 'publish', {
      row: row({ title: 'ab', attributes: {}, locationId: null }),
      category,
    });
    expect(attempt.ok).toBe(false);
    if (attempt.ok) return;
    expect(attempt.error.code).toBe('listing_incomplete');
    expect(attempt.error.errors?.map((error) => error.path).sort()).toEqual([
      'body.attributes.year',
      'body.locationId',
      'body.title',
    ]);
  });

  it('refuses a change the table has no row for, naming both statuses', () => {
    const attempt = listingMachine.attempt('sold', 'unpublish', { row: row(), category });
    expect(attempt.ok).toBe(false);
    if (attempt.ok) return;
    expect(attempt.error.code).toBe('invalid_transition');
    expect(attempt.error.status).toBe(409);
    expect(attempt.error.detail).toBe('A sold listing cannot become draft.');
  });

  it('lets nothing out of removed, and draws itself', () => {
    expect(listingMachine.eventsFrom('removed')).toEqual([]);
    expect(listingMachine.toMermaid()).toContain('draft --> active: publish [complete]');
  });
});

describe('an import row status', () => {
  it('allows what a seller can do through the API: publish, unpublish, renew', () => {
    expect(importStatusChange('draft', 'active')).toEqual({ action: 'publish' });
    expect(importStatusChange('active', 'draft')).toEqual({ action: 'unpublish' });
    expect(importStatusChange('expired', 'active')).toEqual({ action: 'renew' });
    expect(importStatusChange('active', 'active')).toEqual({ action: null });
    expect(importStatusChange(null, 'active')).toEqual({ action: null });
  });

  it('refuses the rest with the message the import reports', () => {
    expect(importStatusChange('active', 'expired')).toEqual({
      error: 'a active listing cannot become expired',
    });
    expect(importStatusChange('active', 'sold')).toEqual({ error: 'a active listing cannot become sold' });
    expect(importStatusChange('sold', 'active')).toEqual({ error: 'a sold listing cannot become active' });
    expect(importStatusChange(null, 'sold')).toEqual({ error: 'must be draft or active for a new listing' });
  });
});

describe('what an action writes', () => {
  const now = new Date('2026-12-07T10:00:00Z');
  it('keeps the first publish time on a republish, restarts it on a renewal', () => {
    const first = new Date('2026-01-01T00:00:00Z');
    expect(actionValues('publish', { publishedAt: first }, now, 30)).toEqual({
      publishedAt: first,
      expiresAt: new Date('2027-01-06T10:00:00Z'),
    });
    expect(actionValues('renew', { publishedAt: first }, now, 30).publishedAt).toEqual(now);
    expect(actionValues('unpublish', { publishedAt: first }, now, 30)).toEqual({});
  });
});

describe('the listing events', () => {
  it('builds price_changed only when the price changed, with every field present', () => {
    expect(priceChangedEvent(row(), row())).toBeNull();
    expect(priceChangedEvent(row(), row({ priceType: 'free', priceAmount: null, currency: null }))).toEqual({
      listingId: row().id,
      sellerId: row().sellerId,
      from: { type: 'fixed', amount: 450_000_000, currency: 'LKR' },
      to: { type: 'free', amount: null, currency: null },
    });
  });

  it('puts the facts subscribers need into listing.published', () => {
    const publishedAt = new Date('2026-12-07T10:00:00Z');
    expect(publishedEvent(row(), row({ status: 'active', publishedAt }), null)).toMatchObject({
      from: 'draft',
      to: 'active',
      title: 'Toyota Corolla',
      kind: 'classified',
      categoryId: category.id,
      price: { type: 'fixed', amount: 450_000_000, currency: 'LKR' },
      publishedAt: publishedAt.toISOString(),
      coverImageId: null,
    });
  });
});

describe('completeness', () => {
  it('asks a showcase post for neither a price nor a city', () => {
    const post = row({
      kind: 'showcase',
      priceType: null,
      priceAmount: null,
      currency: null,
      locationId: null,
    });
    expect(completenessErrors(post, category)).toEqual([]);
  });
});

describe('attributes (the contract module both server and web use)', () => {
  const [year, payload, mileage] = category.attributes as [never, never, never];
  it('reads a number the same on a card and on the page: grouped from five digits, with its unit', () => {
    expect(formatAttributeValue(payload, 1500)).toBe('1500 kg');
    expect(formatAttributeValue(mileage, 45_000)).toBe('45,000 km');
    expect(formatAttributeValue(year, 2018)).toBe('2018');
    expect(formatAttributeValue(undefined, ['a', 'b'])).toBe('a, b');
  });

  it('names each offending field, and required ones only when complete', () => {
    expect(validateAttributeValues(category.attributes, {}, { complete: false })).toEqual([]);
    expect(
      validateAttributeValues(category.attributes, { year: 1900, colour: 'red' }, { complete: true }),
    ).toEqual([
      { path: 'body.attributes.colour', message: 'is not an attribute of this category' },
      { path: 'body.attributes.year', message: 'must be at least 1950' },
    ]);
  });
});
