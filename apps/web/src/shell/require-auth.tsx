import type { SessionUser } from '@souk/contracts';
import type { ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../features/auth/session-queries';
import { signInPath } from '../lib/safe-next';

/** Renders its children for a signed-in member; sends anyone else to sign in and back. */
export function RequireAuth({ children }: { children: (user: SessionUser) => ReactNode }) {
  const { user, status } = useSession();
  const { pathname, search, hash } = useLocation();
  if (status === 'loading') {
    return (
      <p role="status" className="py-10 text-center text-stone-600">
        <FormattedMessage id="shell.loadingAccount" />
      </p>
    );
  }
  if (!user) return <Navigate to={signInPath(`${pathname}${search}${hash}`)} replace />;
  return children(user);
}
