import { describe, expect, it } from 'vitest';
import { hotScore, voteWeight } from './showcase.ranking.js';

describe('showcase ranking', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

  it('weighs a vote by the age of the account, from 0.2 to 1', () => {
    expect(voteWeight(daysAgo(0), now)).toBe(200);
    expect(voteWeight(daysAgo(3), now)).toBe(200);
    expect(voteWeight(daysAgo(15), now)).toBe(500);
    expect(voteWeight(daysAgo(30), now)).toBe(1000);
    expect(voteWeight(daysAgo(400), now)).toBe(1000);
    expect(voteWeight(null, now)).toBe(200);
  });

  it('sinks older posts: the same votes score less with age, more votes can outrank newer ones', () => {
    expect(hotScore(10_000, 1)).toBeGreaterThan(hotScore(10_000, 10));
    expect(hotScore(30_000, 5)).toBeGreaterThan(hotScore(5_000, 1));
    expect(hotScore(0, 0)).toBe(0);
  });
});
