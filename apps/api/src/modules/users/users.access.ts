import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import { usersError } from './users.errors.js';
import type { UsersRepository } from './users.repository.js';
import type { ProfileRow } from './users.schema.js';
import type { AccountsPort } from './users.service.js';

export type Account = NonNullable<Awaited<ReturnType<AccountsPort['get']>>>;
/** A user whose profile the caller may see. */
export type Target = { id: string; account: Account; profile: ProfileRow };

export const isAdmin = (ctx: RequestContext) => Boolean(ctx.actor?.roles.includes('admin'));

export function signedIn(ctx: RequestContext): string {
  if (!ctx.actor) throw platformError('unauthenticated', 'Sign in first.');
  return ctx.actor.userId;
}

/** Checked after `find`: a hidden user is a 404 for everyone, a visible one a 403 for strangers. */
export function assertOwner(ctx: RequestContext, target: Target, options: { orAdmin: boolean }) {
  const actorId = signedIn(ctx);
  if (actorId === target.id) return;
  if (options.orAdmin && isAdmin(ctx)) return;
  throw platformError(
    'forbidden',
    options.orAdmin ? 'Only the owner or an admin may do this.' : 'Only the owner may do this.',
  );
}

/**
 * Who may see and change a profile: finding the user behind `:id` as the caller may see it, and
 * the owner's password confirmation for account actions.
 */
export function createUserAccess(deps: {
  database: Pick<Database, 'db'>;
  repository: UsersRepository;
  accounts: Pick<AccountsPort, 'get' | 'checkPassword'>;
}) {
  const { database, repository } = deps;

  /**
   * The user behind `:id` (`me` is the caller). Deleted and unknown users do not exist;
   * a deactivated one exists only for itself and admins.
   */
  async function find(ctx: RequestContext, id: string): Promise<Target> {
    const userId = id === 'me' ? signedIn(ctx) : id;
    const account = await deps.accounts.get(userId);
    const visible =
      account &&
      account.status !== 'deleted' &&
      (account.status === 'active' || ctx.actor?.userId === userId || isAdmin(ctx));
    if (!visible) throw usersError('user_not_found');
    const profile = await repository.findProfile(database.db, userId);
    if (!profile) throw usersError('user_not_found');
    return { id: userId, account, profile };
  }

  /** The owner confirms with the password when the account has one (social sign-in only: none). */
  async function confirmPassword(target: Target, password: string | undefined) {
    if (!target.account.passwordHash) return;
    if (!password) {
      throw usersError('wrong_password', 'Confirm with your password.', [
        { path: 'body.password', message: 'is required' },
      ]);
    }
    if (!(await deps.accounts.checkPassword(target.id, password))) {
      throw usersError('wrong_password', 'The password is not right.', [
        { path: 'body.password', message: 'is not your password' },
      ]);
    }
  }

  return { find, confirmPassword };
}
