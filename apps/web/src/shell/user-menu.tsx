import type { SessionUser } from '@souk/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link, useLocation } from 'react-router';
import { useSignOut } from '../features/auth/auth-queries';
import { useLeaveSignedOut } from '../lib/use-leave-signed-out';
import { UserAvatar } from '../ui/user-avatar';

const itemClass =
  'block w-full rounded-lg px-3 py-2.5 text-left text-sm text-stone-800 hover:bg-brand-50 hover:text-brand-800 disabled:opacity-60';

/** The signed-in member's menu: a disclosure button and a short list of links. */
export function UserMenu({ user }: { user: SessionUser }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const { pathname } = useLocation();
  const signOut = useSignOut();
  const leave = useLeaveSignedOut();

  // biome-ignore lint/correctness/useExhaustiveDependencies: closing on navigation is the point.
  useEffect(() => setOpen(false), [pathname]);

  useEffect(() => {
    if (!open) return;
    function onPointerDown(event: PointerEvent) {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    }
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    }
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  function handleSignOut() {
    // Even when the server already forgot the session, this device is signed out now.
    signOut.mutate(undefined, { onSettled: () => void leave() });
  }

  return (
    <div ref={rootRef} className="relative ml-auto shrink-0">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((value) => !value)}
        className="flex items-center gap-2 rounded-full border border-stone-300 py-1 pr-3 pl-1 text-sm font-semibold text-stone-800 hover:border-brand-500"
      >
        <UserAvatar name={user.displayName} url={user.avatarUrl} />
        {/* On the narrowest phones the avatar alone leaves room for the Sell button; the name stays for screen readers. */}
        <span className="max-w-[7rem] truncate max-[429px]:sr-only sm:max-w-[10rem]">{user.displayName}</span>
        <span className="sr-only">
          <FormattedMessage id="shell.menu.account" />
        </span>
        <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4 text-stone-500" fill="currentColor">
          <path d="M5.2 7.2a.75.75 0 0 1 1.06 0L10 10.94l3.74-3.74a.75.75 0 1 1 1.06 1.06l-4.27 4.27a.75.75 0 0 1-1.06 0L5.2 8.26a.75.75 0 0 1 0-1.06Z" />
        </svg>
      </button>
      <div
        id={menuId}
        hidden={!open}
        className="absolute right-0 z-30 mt-2 w-64 rounded-2xl border border-stone-200 bg-white p-2 shadow-lg"
      >
        <p className="truncate px-3 pt-1 pb-2 text-xs text-stone-500">
          <FormattedMessage
            id="shell.menu.signedInAs"
            values={{
              email: user.email,
              b: (chunks) => <span className="font-medium text-stone-700">{chunks}</span>,
            }}
          />
        </p>
        <ul>
          <li>
            <Link to="/account" className={itemClass}>
              <FormattedMessage id="shell.menu.settings" />
            </Link>
          </li>
          <li>
            <Link to="/account/listings" className={itemClass}>
              <FormattedMessage id="shell.menu.listings" />
            </Link>
          </li>
          <li>
            <Link to="/account/favorites" className={itemClass}>
              <FormattedMessage id="shell.menu.favorites" />
            </Link>
          </li>
          <li>
            <Link to="/account/searches" className={itemClass}>
              <FormattedMessage id="shell.menu.searches" />
            </Link>
          </li>
          <li>
            <Link to="/account/wallet" className={itemClass}>
              <FormattedMessage id="shell.menu.wallet" />
            </Link>
          </li>
          <li>
            <Link to="/following" className={itemClass}>
              <FormattedMessage id="shell.menu.following" />
            </Link>
          </li>
          <li>
            <Link to={`/u/${user.id}`} className={itemClass}>
              <FormattedMessage id="shell.menu.profile" />
            </Link>
          </li>
          <li className="mt-1 border-t border-stone-200 pt-1">
            <button type="button" onClick={handleSignOut} disabled={signOut.isPending} className={itemClass}>
              <FormattedMessage id={signOut.isPending ? 'shell.menu.signingOut' : 'shell.menu.signOut'} />
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
}
