import { describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { UsersRepository } from './users.repository.js';
import type { ProfileRow } from './users.schema.js';
import { type AccountsPort, createUsersService, defaultPreferences } from './users.service.js';

const ownerId = '0190a7b2-0000-7000-8000-0000000000a1';
const strangerId = '0190a7b2-0000-7000-8000-0000000000b2';
const ctxOf = (userId: string | null, roles: ('member' | 'admin')[] = ['member']): RequestContext => ({
  actor: userId ? { userId, roles } : null,
  requestId: 'test',
  sessionId: userId ? 'session' : null,
});

/** One user in memory; the transaction runs its work against a dummy handle. */
function setup(
  options: { failUpdate?: boolean; failDelete?: boolean; status?: 'active' | 'deactivated' | 'deleted' } = {},
) {
  const now = new Date();
  let profile: ProfileRow = {
    userId: ownerId,
    displayName: 'Owner',
    bio: null,
    avatarKey: 'avatars/old.webp',
    locationId: null,
    phone: null,
    sellerBusinessName: null,
    sellerDescription: null,
    sellerWebsite: null,
    sellerOpeningHours: null,
    preferences: defaultPreferences,
    createdAt: now,
    updatedAt: now,
  };
  const files = new Set(['avatars/old.webp']);
  const calls: string[] = [];
  const tx = {} as Queryable;
  const repository = {
    findProfile: async (_db: Queryable, id: string) => (id === ownerId ? profile : undefined),
    lockProfile: async (_db: Queryable, id: string) => (id === ownerId ? profile : undefined),
    updateProfile: async (_db: Queryable, _id: string, values: Partial<ProfileRow>) => {
      if (options.failUpdate) throw new Error('database down');
      profile = { ...profile, ...values };
      return profile;
    },
  } as unknown as UsersRepository;
  const accounts = {
    get: async (id: string) =>
      id === ownerId
        ? {
            id,
            status: options.status ?? 'active',
            email: 'o@example.test',
            passwordHash: 'hash',
            createdAt: now,
            emailVerifiedAt: null,
            totpEnabledAt: null,
          }
        : undefined,
    checkPassword: async (_id: string, password: string) => password === 'right',
    deactivate: async () => {
      calls.push('deactivate');
      return ['s1', 's2'];
    },
    erase: async () => {
      calls.push('erase');
    },
    forgetSessions: async (ids: string[]) => {
      calls.push(`forget:${ids.join(',')}`);
    },
    exportData: async () => ({ account: null, linkedIdentities: [], sessions: [] }),
  } as unknown as AccountsPort;
  const service = createUsersService({
    database: { db: tx, transaction: (work) => work(tx) } as Pick<Database, 'db' | 'transaction'>,
    repository,
    accounts,
    directory: { avatarUrlOf: (profile) => (profile.avatarKey ? `/media/${profile.avatarKey}` : null) },
    storage: {
      put: async (key) => {
        files.add(key);
      },
      delete: async (key) => {
        if (options.failDelete) throw new Error('disk gone');
        files.delete(key);
      },
      url: (key) => `/media/${key}`,
    },
    locationOf: async () => null,
    toAvatar: async () => Buffer.from('webp'),
  });
  return { service, files, calls, profile: () => profile };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );

describe('users service', () => {
  it('replaces the avatar file and deletes the old one', async () => {
    const { service, files, profile } = setup();
    const { avatarUrl } = await service.setAvatar(ctxOf(ownerId), 'me', async () => Buffer.from('jpeg'));
    expect(avatarUrl).toBe(`/media/${profile().avatarKey}`);
    expect([...files]).toEqual([profile().avatarKey]);
  });

  it('removes the new file when saving the profile fails, and keeps the old one', async () => {
    const { service, files } = setup({ failUpdate: true });
    await expect(service.setAvatar(ctxOf(ownerId), 'me', async () => Buffer.from('jpeg'))).rejects.toThrow(
      'database down',
    );
    expect([...files]).toEqual(['avatars/old.webp']);
  });

  it('does not read the upload of a caller who may not change the avatar', async () => {
    const { service } = setup();
    let read = false;
    const readFile = async () => {
      read = true;
      return Buffer.from('jpeg');
    };
    expect(await codeOf(service.setAvatar(ctxOf(strangerId), ownerId, readFile))).toBe('forbidden');
    expect(await codeOf(service.setAvatar(ctxOf(null), ownerId, readFile))).toBe('unauthenticated');
    expect(read).toBe(false);
  });

  it('deletes an account even when the avatar file cannot be removed', async () => {
    const { service, calls, profile } = setup({ failDelete: true });
    await service.deleteAccount(ctxOf(ownerId), 'me', { password: 'right' });
    expect(calls).toEqual(['deactivate', 'erase', 'forget:s1,s2']);
    expect(profile()).toMatchObject({ displayName: 'Deleted user', avatarKey: null, phone: null, bio: null });
  });

  it('hides a deactivated user from others but not from admins', async () => {
    const { service } = setup({ status: 'deactivated' });
    expect(await codeOf(service.getProfile(ctxOf(null), ownerId))).toBe('user_not_found');
    expect(await codeOf(service.getProfile(ctxOf(strangerId), ownerId))).toBe('user_not_found');
    expect(await codeOf(service.getProfile(ctxOf(strangerId, ['member', 'admin']), ownerId))).toBe(
      'resolved',
    );
  });

  it('treats a deleted user as unknown, even for admins', async () => {
    const { service } = setup({ status: 'deleted' });
    expect(await codeOf(service.getProfile(ctxOf(strangerId, ['member', 'admin']), ownerId))).toBe(
      'user_not_found',
    );
  });

  it('merges preferences, notifications per type', async () => {
    const { service } = setup();
    await service.updatePreferences(ctxOf(ownerId), 'me', { notifications: { messages: ['email'] } });
    const merged = await service.updatePreferences(ctxOf(ownerId), 'me', {
      currency: 'USD',
      notifications: { orders: ['push'] },
    });
    expect(merged).toEqual({
      ...defaultPreferences,
      currency: 'USD',
      notifications: { messages: ['email'], orders: ['push'] },
    });
  });
});
