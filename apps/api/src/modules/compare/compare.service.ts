import { randomBytes } from 'node:crypto';
import {
  type CategoryDetail,
  COMPARE_MAX,
  type CompareRow,
  type CompareShare,
  type Comparison,
  type ListingSummary,
  type ResolvedAttribute,
  type SharedComparison,
} from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { compareError } from './compare.errors.js';
import type { CompareRepository } from './compare.repository.js';

/** Shared comparisons work this long. */
export const SHARE_TTL_DAYS = 90;
/** Attempts of a write whose list changed between the reads and the lock. */
const WRITE_ATTEMPTS = COMPARE_MAX + 2;

type AttributeValue = string | number | boolean | string[];
type Facts = { categoryId: string; status: string; attributes: Record<string, AttributeValue> };

export type ComparePorts = {
  listings: {
    attributesOf(listingIds: string[]): Promise<Map<string, Facts>>;
    cardsOf(listingIds: string[]): Promise<ListingSummary[]>;
  };
  catalog: { categoryById(id: string): Promise<CategoryDetail | null> };
};

const CONDITION_LABELS: Record<string, string> = { new: 'New', used: 'Used', refurbished: 'Refurbished' };
const isPublic = (status: string) => status !== 'draft' && status !== 'removed';

function formatPrice(price: ListingSummary['price']): string | null {
  if (!price) return null;
  if (price.type === 'free') return 'Free';
  if (price.amount === null) return price.type === 'negotiable' ? 'Negotiable' : null;
  const major = (price.amount / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });
  return `${price.currency ?? ''} ${major}${price.type === 'negotiable' ? ' (negotiable)' : ''}`.trim();
}

/** A value as the table shows it; the unit sits in the row, so numbers go bare. */
function formatValue(attribute: ResolvedAttribute, value: AttributeValue | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  switch (attribute.type) {
    case 'enum':
      return attribute.options.find((option) => option.value === value)?.label ?? String(value);
    case 'multi_enum': {
      const items = Array.isArray(value) ? value : [String(value)];
      if (items.length === 0) return null;
      return items
        .map((item) => attribute.options.find((option) => option.value === item)?.label ?? item)
        .join(', ');
    }
    case 'integer':
    case 'decimal':
      return attribute.unit ? Number(value).toLocaleString('en-US') : String(value);
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'text':
      return String(value);
  }
}

function row(
  key: string,
  label: string,
  group: CompareRow['group'],
  unit: string | null,
  values: (string | null)[],
  raw: unknown[],
): CompareRow {
  const keys = raw.map((value) => JSON.stringify(value ?? null));
  return { key, label, unit, group, values, differs: new Set(keys).size > 1 };
}

export function createCompareService(deps: {
  database: Database;
  repository: CompareRepository;
  ports: ComparePorts;
}) {
  const { database, repository, ports } = deps;

  async function topOf(categoryId: string) {
    const category = await ports.catalog.categoryById(categoryId);
    if (!category) return null;
    const top = category.ancestors[0] ?? category;
    return { id: top.id, slug: top.slug, name: top.name, category };
  }

  /** The table for these ids, from current data; listings nobody may see any more drop out. */
  async function compute(listingIds: string[]): Promise<Comparison> {
    const ids = [...new Set(listingIds)].slice(0, COMPARE_MAX);
    const [facts, cards] = await Promise.all([ports.listings.attributesOf(ids), ports.listings.cardsOf(ids)]);
    const byId = new Map(cards.map((card) => [card.id, card]));
    const shown = ids.flatMap((id) => {
      const card = byId.get(id);
      const fact = facts.get(id);
      return card && fact && isPublic(fact.status) ? [{ card, fact }] : [];
    });
    const categories = new Map<string, CategoryDetail | null>();
    for (const { fact } of shown) {
      if (!categories.has(fact.categoryId))
        categories.set(fact.categoryId, await ports.catalog.categoryById(fact.categoryId));
    }
    const first = shown[0] ? categories.get(shown[0].fact.categoryId) : null;
    const top = first ? (first.ancestors[0] ?? first) : null;

    // Attributes in schema order: the first listing's category's, then any others' own extras.
    const attributes = new Map<string, ResolvedAttribute>();
    for (const { fact } of shown) {
      for (const attribute of categories.get(fact.categoryId)?.attributes ?? []) {
        if (!attributes.has(attribute.key)) attributes.set(attribute.key, attribute);
      }
    }
    const overview: CompareRow[] = [
      row(
        'price',
        'Price',
        'overview',
        null,
        shown.map(({ card }) => formatPrice(card.price)),
        shown.map(({ card }) => card.price),
      ),
      row(
        'condition',
        'Condition',
        'overview',
        null,
        shown.map(({ card }) =>
          card.condition ? (CONDITION_LABELS[card.condition] ?? card.condition) : null,
        ),
        shown.map(({ card }) => card.condition),
      ),
      row(
        'location',
        'Location',
        'overview',
        null,
        shown.map(({ card }) => card.location?.name ?? null),
        shown.map(({ card }) => card.location?.id ?? null),
      ),
      row(
        'category',
        'Category',
        'overview',
        null,
        shown.map(({ card }) => card.category.name),
        shown.map(({ card }) => card.category.id),
      ),
    ];
    const attributeRows = [...attributes.values()].flatMap((attribute) => {
      const raw = shown.map(({ fact }) => fact.attributes[attribute.key]);
      // A row where no listing says anything is noise.
      if (raw.every((value) => value === undefined)) return [];
      return [
        row(
          attribute.key,
          attribute.label,
          'attributes',
          'unit' in attribute ? (attribute.unit ?? null) : null,
          raw.map((value) => formatValue(attribute, value)),
          raw,
        ),
      ];
    });
    // A category with a condition attribute says it there (as the listing page does): once is enough.
    const rows = attributes.has('condition')
      ? overview.filter((candidate) => candidate.key !== 'condition')
      : overview;
    return {
      topCategory: top ? { id: top.id, slug: top.slug, name: top.name } : null,
      listings: shown.map(({ card }) => card),
      rows: [...rows, ...attributeRows],
    };
  }

  /**
   * Reads what other modules know before the transaction (the embedded database has one
   * connection), then applies `change` under the row lock. If a concurrent write put an id in
   * the list that was not read, the reads are incomplete: start again. Only adds race like
   * that and the list holds four, so COMPARE_MAX + 2 attempts always settle.
   */
  async function changeList(
    userId: string,
    extraIds: string[],
    change: (current: string[], facts: Map<string, Facts>, tops: Map<string, string | null>) => string[],
  ): Promise<string[]> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const seen = await repository.read(database.db, userId);
      const ids = [...new Set([...seen, ...extraIds])];
      const facts = await ports.listings.attributesOf(ids);
      const tops = new Map<string, string | null>();
      for (const [id, fact] of facts) tops.set(id, (await topOf(fact.categoryId))?.id ?? null);
      const result = await database.transaction(async (tx) => {
        const locked = await repository.lock(tx, userId);
        const asked = new Set(ids);
        if (locked.some((id) => !asked.has(id))) return null;
        // Listings that went away free their slot.
        const current = locked.filter((id) => isPublic(facts.get(id)?.status ?? 'removed'));
        const next = change(current, facts, tops);
        if (next.join() !== locked.join()) await repository.write(tx, userId, next);
        return next;
      });
      if (result) return result;
    }
    throw compareError('compare_busy');
  }

  return {
    compute,

    async get(ctx: RequestContext): Promise<Comparison> {
      const userId = requireUser(ctx);
      return compute(await repository.read(database.db, userId));
    },

    async add(ctx: RequestContext, listingId: string): Promise<Comparison> {
      const userId = requireUser(ctx);
      const ids = await changeList(userId, [listingId], (current, facts, tops) => {
        const fact = facts.get(listingId);
        if (!fact || !isPublic(fact.status)) throw compareError('listing_not_found');
        if (current.includes(listingId)) return current;
        if (fact.status !== 'active')
          throw compareError('listing_not_available', `This listing is ${fact.status}.`);
        if (current.length >= COMPARE_MAX) {
          throw compareError('compare_full', 'Remove one before adding another.');
        }
        const top = tops.get(listingId);
        const listTop = current[0] === undefined ? undefined : tops.get(current[0]);
        if (listTop !== undefined && listTop !== top) {
          throw compareError(
            'compare_category_mismatch',
            'Clear the comparison to compare listings of another kind.',
          );
        }
        return [...current, listingId];
      });
      return compute(ids);
    },

    async remove(ctx: RequestContext, listingId: string): Promise<Comparison> {
      const userId = requireUser(ctx);
      const ids = await database.transaction(async (tx) => {
        const locked = await repository.lock(tx, userId);
        const next = locked.filter((id) => id !== listingId);
        if (next.length !== locked.length) await repository.write(tx, userId, next);
        return next;
      });
      return compute(ids);
    },

    async clear(ctx: RequestContext): Promise<void> {
      const userId = requireUser(ctx);
      await database.transaction(async (tx) => {
        await repository.lock(tx, userId);
        await repository.write(tx, userId, []);
      });
    },

    /** A guest's list joins the member's: ids that cannot be compared are skipped; the cap holds. */
    async merge(ctx: RequestContext, listingIds: string[]): Promise<Comparison> {
      const userId = requireUser(ctx);
      const ids = await changeList(userId, listingIds, (current, facts, tops) => {
        const next = [...current];
        for (const id of new Set(listingIds)) {
          if (next.length >= COMPARE_MAX) break;
          const fact = facts.get(id);
          if (fact?.status !== 'active' || next.includes(id)) continue;
          const listTop = next[0] === undefined ? undefined : tops.get(next[0]);
          if (listTop !== undefined && listTop !== tops.get(id)) continue;
          next.push(id);
        }
        return next;
      });
      return compute(ids);
    },

    async share(ctx: RequestContext, publicPath: (token: string) => string): Promise<CompareShare> {
      const userId = requireUser(ctx);
      const comparison = await compute(await repository.read(database.db, userId));
      if (comparison.listings.length < 2) throw compareError('compare_too_few');
      const row = await repository.insertShare(database.db, {
        userId,
        token: randomBytes(24).toString('base64url'),
        listingIds: comparison.listings.map((listing) => listing.id),
        expiresAt: new Date(Date.now() + SHARE_TTL_DAYS * 86_400_000),
      });
      return { token: row.token, path: publicPath(row.token), expiresAt: row.expiresAt.toISOString() };
    },

    async shared(_ctx: RequestContext, token: string): Promise<SharedComparison> {
      const row = await repository.shareByToken(database.db, token);
      if (!row) throw compareError('share_not_found');
      if (row.expiresAt <= new Date()) throw compareError('share_expired');
      return { ...(await compute(row.listingIds)), expiresAt: row.expiresAt.toISOString() };
    },
  };
}

export type CompareService = ReturnType<typeof createCompareService>;
