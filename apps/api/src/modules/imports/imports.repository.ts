import { and, asc, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import {
  type ImportFailureRow,
  type ImportRow,
  importFailures,
  importFiles,
  imports,
  type NewImportRow,
} from './imports.schema.js';

export type ImportCounters = Pick<
  ImportRow,
  'bytesDone' | 'rowsDone' | 'created' | 'updated' | 'unchanged' | 'failed' | 'withdrawn'
>;

/** The only file that touches the imports tables. */
export function createImportsRepository() {
  return {
    async insert(db: Queryable, values: NewImportRow): Promise<ImportRow> {
      const [row] = await db.insert(imports).values(values).returning();
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    async findById(db: Queryable, id: string): Promise<ImportRow | undefined> {
      const [row] = await db.select().from(imports).where(eq(imports.id, id));
      return row;
    },

    async update(db: Queryable, id: string, values: Partial<NewImportRow>): Promise<ImportRow> {
      const [row] = await db.update(imports).set(values).where(eq(imports.id, id)).returning();
      if (!row) throw new Error('update returned no row');
      return row;
    },

    async delete(db: Queryable, id: string): Promise<void> {
      await db.delete(imports).where(eq(imports.id, id));
    },

    /** A seller's import that is not finished (one at a time per seller). */
    async findUnfinished(db: Queryable, sellerId: string, exceptId: string): Promise<ImportRow | undefined> {
      const [row] = await db
        .select()
        .from(imports)
        .where(
          and(
            eq(imports.sellerId, sellerId),
            inArray(imports.status, ['queued', 'running']),
            eq(imports.dryRun, false),
            sql`${imports.id} <> ${exceptId}`,
          ),
        )
        .limit(1);
      return row;
    },

    listBySeller(db: Queryable, sellerId: string, before: { at: Date; id: string } | null, limit: number) {
      return db
        .select()
        .from(imports)
        .where(
          and(
            eq(imports.sellerId, sellerId),
            before
              ? or(
                  lt(imports.createdAt, before.at),
                  and(eq(imports.createdAt, before.at), lt(imports.id, before.id)),
                )
              : undefined,
          ),
        )
        .orderBy(desc(imports.createdAt), desc(imports.id))
        .limit(limit);
    },

    async appendChunk(db: Queryable, importId: string, part: 'file' | 'archive', seq: number, data: Buffer) {
      await db.insert(importFiles).values({ importId, part, seq, data });
    },

    async chunk(
      db: Queryable,
      importId: string,
      part: 'file' | 'archive',
      seq: number,
    ): Promise<Buffer | null> {
      const [row] = await db
        .select({ data: importFiles.data })
        .from(importFiles)
        .where(and(eq(importFiles.importId, importId), eq(importFiles.part, part), eq(importFiles.seq, seq)));
      return row?.data ?? null;
    },

    async deleteFiles(db: Queryable, importId: string): Promise<void> {
      await db.delete(importFiles).where(eq(importFiles.importId, importId));
    },

    async addFailures(db: Queryable, rows: ImportFailureRow[]): Promise<void> {
      if (rows.length > 0) await db.insert(importFailures).values(rows).onConflictDoNothing();
    },

    async clearFailures(db: Queryable, importId: string): Promise<void> {
      await db.delete(importFailures).where(eq(importFailures.importId, importId));
    },

    failures(db: Queryable, importId: string, afterRow: number, limit: number): Promise<ImportFailureRow[]> {
      return db
        .select()
        .from(importFailures)
        .where(and(eq(importFailures.importId, importId), gt(importFailures.row, afterRow)))
        .orderBy(asc(importFailures.row))
        .limit(limit);
    },
  };
}

export type ImportsRepository = ReturnType<typeof createImportsRepository>;
