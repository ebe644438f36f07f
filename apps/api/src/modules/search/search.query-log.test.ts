import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueryLog, type QueryLogEntry } from './search.query-log.js';

const entry = (text: string): QueryLogEntry => ({
  userId: null,
  text,
  normalized: text,
  filters: {},
  resultCount: 1,
  createdAt: new Date(),
});

/** A log whose batches are recorded as lists of texts. */
function recordingLog(options: { flushMs: number; maxEntries?: number }) {
  const batches: string[][] = [];
  const log = createQueryLog({
    write: async (entries) => {
      batches.push(entries.map((e) => e.text));
    },
    onError: () => {},
    ...options,
  });
  return { log, batches };
}

describe('search query log', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes entries in one batch when flushed, in the order they came', async () => {
    const { log, batches } = recordingLog({ flushMs: 60_000 });
    log.add(entry('a'));
    log.add(entry('b'));
    expect(batches).toEqual([]);
    await log.flush();
    expect(batches).toEqual([['a', 'b']]);
    await log.flush();
    expect(batches).toEqual([['a', 'b']]);
  });

  it('flushes by itself after flushMs, and at once when maxEntries wait', async () => {
    vi.useFakeTimers();
    const { log, batches } = recordingLog({ flushMs: 20, maxEntries: 3 });
    for (const text of ['a', 'b', 'c', 'd']) log.add(entry(text));
    await vi.advanceTimersByTimeAsync(0); // the size-triggered write runs
    expect(batches).toEqual([['a', 'b', 'c']]);
    await vi.advanceTimersByTimeAsync(19);
    expect(batches).toEqual([['a', 'b', 'c']]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('drops a batch that cannot be written, reports it, and goes on', async () => {
    const errors: number[] = [];
    const written: string[] = [];
    let fail = true;
    const log = createQueryLog({
      write: async (entries) => {
        if (fail) throw new Error('database away');
        written.push(...entries.map((e) => e.text));
      },
      onError: (_error, dropped) => errors.push(dropped),
      flushMs: 60_000,
    });
    log.add(entry('a'));
    log.add(entry('b'));
    await expect(log.flush()).resolves.toBeUndefined();
    fail = false;
    log.add(entry('c'));
    await log.flush();
    expect(errors).toEqual([2]);
    expect(written).toEqual(['c']);
  });
});
