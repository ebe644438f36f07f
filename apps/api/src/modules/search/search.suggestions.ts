import type { CategoryDetail, Suggestion } from '@souk/contracts';

export type SuggestionEntry = {
  suggestion: Suggestion;
  label: string;
  folded: string;
  words: string[];
  /** Trigrams of each word, computed once. */
  grams: Set<string>[];
  /** Lower first: categories, then makes, then models. */
  rank: number;
};

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function trigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (const word of fold(text).split(/[^\p{L}\p{N}]+/u)) {
    if (!word) continue;
    const padded = `  ${word} `;
    for (let index = 0; index + 3 <= padded.length; index++) grams.add(padded.slice(index, index + 3));
  }
  return grams;
}

/** pg_trgm's similarity(), in memory: shared trigrams over all trigrams of both. */
export { trigrams };

export function trigramSimilarity(a: string | Set<string>, b: string | Set<string>): number {
  const left = typeof a === 'string' ? trigrams(a) : a;
  const right = typeof b === 'string' ? trigrams(b) : b;
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared += 1;
  return shared / (left.size + right.size - shared);
}

function entry(suggestion: Suggestion, rank: number): SuggestionEntry {
  const folded = fold(suggestion.label);
  const words = folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return { suggestion, label: suggestion.label, folded, words, grams: words.map(trigrams), rank };
}

/**
 * Categories, and the makes and models of every category that defines them, as suggestions. The
 * catalog is small (thousands of options at most) and cached, so matching runs in memory.
 */
export async function buildSuggestionIndex(catalog: {
  allCategoryRefs(): Promise<{ id: string; slug: string; name: string }[]>;
  categoryById(id: string): Promise<CategoryDetail | null>;
}): Promise<SuggestionEntry[]> {
  const entries: SuggestionEntry[] = [];
  const seenOptions = new Set<string>();
  for (const ref of await catalog.allCategoryRefs()) {
    entries.push(entry({ type: 'category', label: ref.name, search: { category: ref.slug } }, 0));
    const detail = await catalog.categoryById(ref.id);
    if (!detail) continue;
    const make = detail.attributes.find((attribute) => attribute.key === 'make' && attribute.type === 'enum');
    // Makes and models are suggested in the category that defines them, not in each descendant.
    if (make?.type !== 'enum' || make.definedIn !== detail.slug) continue;
    const makeLabels = new Map(make.options.map((option) => [option.value, option.label]));
    for (const option of make.options) {
      // One suggestion a make, in the first category (tree order) that has it: cars before buses.
      const key = `make:${option.value}`;
      if (seenOptions.has(key)) continue;
      seenOptions.add(key);
      entries.push(
        entry(
          {
            type: 'make',
            label: `${option.label} (${detail.name})`,
            search: { category: detail.slug, attributes: { make: option.value } },
          },
          1,
        ),
      );
    }
    const model = detail.attributes.find((attribute) => attribute.key === 'model');
    if (model?.type !== 'enum') continue;
    for (const option of model.options) {
      const makeLabel = option.parentValue ? makeLabels.get(option.parentValue) : undefined;
      entries.push(
        entry(
          {
            type: 'model',
            label: makeLabel ? `${makeLabel} ${option.label}` : option.label,
            search: {
              category: detail.slug,
              attributes: option.parentValue
                ? { make: option.parentValue, model: option.value }
                : { model: option.value },
            },
          },
          2,
        ),
      );
    }
  }
  return entries;
}

/**
 * For each entry with a word sharing a trigram with `typed`, the best similarity of its words
 * (pg_trgm's, as {@link trigramSimilarity}), through a trigram → (entry, word) index: only words
 * that share a trigram are visited, instead of every word of every entry on each keystroke.
 */
export function similarEntries(
  typed: Set<string>,
  entries: SuggestionEntry[],
  postings: Map<string, { entry: number; word: number }[]>,
): Map<number, number> {
  const shared = new Map<number, number>();
  for (const gram of typed) {
    for (const { entry, word } of postings.get(gram) ?? []) {
      // Words are at most a few per entry: entry * 64 + word keys one word.
      const key = entry * 64 + word;
      shared.set(key, (shared.get(key) ?? 0) + 1);
    }
  }
  const best = new Map<number, number>();
  for (const [key, count] of shared) {
    const entry = Math.floor(key / 64);
    const grams = (entries[entry] as SuggestionEntry).grams[key % 64] as Set<string>;
    const similarity = count / (typed.size + grams.size - count);
    if (similarity > (best.get(entry) ?? 0)) best.set(entry, similarity);
  }
  return best;
}

/** The trigram index {@link similarEntries} reads. */
export function trigramPostings(entries: SuggestionEntry[]): Map<string, { entry: number; word: number }[]> {
  const postings = new Map<string, { entry: number; word: number }[]>();
  entries.forEach((candidate, entry) => {
    candidate.grams.slice(0, 64).forEach((grams, word) => {
      for (const gram of grams) {
        const list = postings.get(gram) ?? [];
        list.push({ entry, word });
        postings.set(gram, list);
      }
    });
  });
  return postings;
}
