import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { preparedStatement } from '../../platform/db/prepared.js';
import { type ProfileRow, profiles } from './users.schema.js';

type NewProfile = typeof profiles.$inferInsert;
export type ProfileChanges = Partial<Omit<NewProfile, 'userId' | 'createdAt' | 'updatedAt'>>;

// Sellers' cards on every listing page and list (platform/db/prepared.ts): one statement for any
// number of users, the ids as one uuid[] parameter.
const profilesByIds = preparedStatement('profiles_by_ids', (db, name) =>
  db
    .select()
    .from(profiles)
    .where(sql`${profiles.userId} = any(${sql.placeholder('ids')}::uuid[])`)
    .prepare(name),
);

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
      return profilesByIds(db, { ids: userIds });
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
