import type { Suggestion } from '@souk/contracts';
import { describe, expect, it } from 'vitest';
import {
  buildSuggestionIndex,
  similarEntries,
  trigramPostings,
  trigramSimilarity,
  trigrams,
} from './search.suggestions.js';

const labels = ['Toyota Corolla', 'Toyota Land Cruiser', 'Honda Civic', 'Hyundai', 'Mobile Phones', 'Cars'];

describe('similarEntries', () => {
  it('gives each entry the best similarity of its words, as comparing every word would', async () => {
    const entries = await buildSuggestionIndex({
      allCategoryRefs: async () =>
        labels.map((name, index) => ({ id: String(index), slug: `c${index}`, name })),
      categoryById: async () => null,
    });
    const postings = trigramPostings(entries);
    for (const typed of ['toyta', 'hnda', 'corola', 'cruser', 'phnes', 'xyz', 'hyundia']) {
      const grams = trigrams(typed);
      const fast = similarEntries(grams, entries, postings);
      entries.forEach((entry, index) => {
        const slow = Math.max(0, ...entry.grams.map((word) => trigramSimilarity(grams, word)));
        expect(fast.get(index) ?? 0, `${typed} / ${(entry.suggestion as Suggestion).label}`).toBeCloseTo(
          slow,
          10,
        );
      });
    }
    // A typo finds its word.
    const best = [...similarEntries(trigrams('toyta'), entries, postings)].sort((a, b) => b[1] - a[1])[0];
    expect(entries[best?.[0] ?? -1]?.label).toMatch(/^Toyota/);
  });
});
