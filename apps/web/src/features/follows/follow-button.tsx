import type { FollowTarget } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { useNavigate } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { useSession } from '../auth/auth-queries';
import { useFollowState, useToggleFollow } from './follows-queries';

/** Follow / Following toggle with the follower count; signed out it leads to sign-in. */
export function FollowButton({ type, id, name }: { type: FollowTarget; id: string; name: string }) {
  const t = useT();
  const { user, status } = useSession();
  const navigate = useNavigate();
  const state = useFollowState(type, id);
  const toggle = useToggleFollow(type, id);
  if (type === 'member' && user?.id === id) {
    return state.data ? (
      <p className="text-sm text-stone-600">
        <FormattedMessage id="follows.followButton.followers" values={{ followers: state.data.followers }} />
      </p>
    ) : null;
  }
  const following = state.data?.following ?? false;
  const followers = state.data?.followers;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={following ? secondaryButton : primaryButton}
        aria-pressed={following}
        disabled={status === 'loading' || state.isPending || toggle.isPending}
        onClick={() => {
          if (!user) {
            void navigate(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
            return;
          }
          toggle.mutate(!following);
        }}
      >
        {following ? t('follows.followButton.following') : t('follows.followButton.follow')}
        <span className="sr-only"> {name}</span>
      </button>
      {followers !== undefined && (
        <span className="text-sm text-stone-600">
          <FormattedMessage id="follows.followButton.followers" values={{ followers }} />
        </span>
      )}
      {toggle.isError && (
        <span role="alert" className="text-sm text-red-700">
          {describeError(toggle.error)}
        </span>
      )}
    </div>
  );
}
