/**
 * The search query log, written in batches. Every search is logged (trending searches, zero-result
 * reports); an insert per search was a round trip and a commit (a WAL flush) on each request's
 * path. Entries wait here at most `flushMs` (or until `maxEntries` are waiting) and go to the
 * database in one multi-row insert. What is still waiting when the process dies unannounced is
 * lost: at most a second of a report's counts. The reports flush this node's entries first, and
 * closing the app flushes what is left.
 */
export type QueryLogEntry = {
  userId: string | null;
  text: string;
  normalized: string;
  filters: Record<string, unknown>;
  resultCount: number;
  createdAt: Date;
};

export function createQueryLog(options: {
  write: (entries: QueryLogEntry[]) => Promise<void>;
  onError: (error: unknown, dropped: number) => void;
  flushMs?: number;
  maxEntries?: number;
}) {
  const flushMs = options.flushMs ?? 1000;
  const maxEntries = options.maxEntries ?? 500;
  let waiting: QueryLogEntry[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = waiting;
    waiting = [];
    // Batches are written one after another, so a flush resolves once everything before it is in.
    writing = writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await options.write(batch);
      } catch (error) {
        // A log must not fail searches nor grow without bound while the database is away.
        options.onError(error, batch.length);
      }
    });
    return writing;
  }

  return {
    add(entry: QueryLogEntry): void {
      waiting.push(entry);
      if (waiting.length >= maxEntries) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), flushMs);
        timer.unref();
      }
    },
    flush,
  };
}

export type QueryLog = ReturnType<typeof createQueryLog>;
