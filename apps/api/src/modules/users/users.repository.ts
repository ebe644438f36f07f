import { eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { type ProfileRow, profiles } from './users.schema.js';

type NewProfile = typeof profiles.$inferInsert;
export type ProfileChanges = Partial<Omit<NewProfile, 'userId' | 'createdAt' | 'updatedAt'>>;

/** The only file that touches the profiles table. */
export function createUsersRepository() {
  return {
    async insertProfile(db: Queryable, values: NewProfile): Promise<void> {
      await db.insert(profiles).values(values);
    },

    async findProfile(db: Queryable, userId: string): Promise<ProfileRow | undefined> {
      const [row] = await db.select().from(profiles).where(eq(profiles.userId, userId));
      return row;
    },

    /** The row, locked until the transaction ends: read-modify-write without lost updates. */
    async lockProfile(tx: Queryable, userId: string): Promise<ProfileRow | undefined> {
      const [row] = await tx.select().from(profiles).where(eq(profiles.userId, userId)).for('update');
      return row;
    },

    findProfiles(db: Queryable, userIds: string[]): Promise<ProfileRow[]> {
      if (userIds.length === 0) return Promise.resolve([]);
      return db.select().from(profiles).where(inArray(profiles.userId, userIds));
    },

    async updateProfile(db: Queryable, userId: string, values: ProfileChanges): Promise<ProfileRow> {
      const [row] = await db
        .update(profiles)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(profiles.userId, userId))
        .returning();
      if (!row) throw new Error('update returned no row');
      return row;
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
