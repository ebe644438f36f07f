/**
 * How votes rank showcase posts (docs/decisions/015-showcase-ranking-and-comment-threads.md).
 *
 * A vote's weight grows with the voter's account age: a day-old account counts 0.2 of a vote,
 * 15 days 0.5, 30 days and more a full vote. Weights are kept in thousandths, as integers, so
 * the sums stored beside the posts are exact.
 */
export const FULL_WEIGHT = 1000;
export const MIN_WEIGHT = 200;
export const FULL_WEIGHT_AFTER_DAYS = 30;

export function voteWeight(memberSince: Date | null, now: Date): number {
  if (!memberSince) return MIN_WEIGHT;
  const days = (now.getTime() - memberSince.getTime()) / 86_400_000;
  const weight = Math.round((days / FULL_WEIGHT_AFTER_DAYS) * FULL_WEIGHT);
  return Math.min(FULL_WEIGHT, Math.max(MIN_WEIGHT, weight));
}

/** Hacker News' gravity: the higher, the faster a post sinks as it ages. */
export const GRAVITY = 1.8;
/** Hours added to a post's age so a brand-new post with one vote does not outrank everything. */
export const AGE_OFFSET_HOURS = 2;

/** The score the feeds sort by (the SQL in showcase.repository.ts computes the same). */
export function hotScore(weightThousandths: number, ageHours: number): number {
  return weightThousandths / FULL_WEIGHT / (Math.max(ageHours, 0) + AGE_OFFSET_HOURS) ** GRAVITY;
}
