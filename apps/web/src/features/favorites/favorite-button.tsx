import { useLocation, useNavigate } from 'react-router';
import { useT } from '../../i18n/use-t';
import { signInPath } from '../../lib/safe-next';
import { useSession } from '../auth/auth-queries';
import { useIsFavorite, useToggleFavorite } from './favorites-queries';

const HEART = 'M10 17.5s-6.5-3.9-6.5-8.6A3.7 3.7 0 0 1 10 6.6a3.7 3.7 0 0 1 6.5 2.3c0 4.7-6.5 8.6-6.5 8.6Z';

/**
 * The heart: saves or unsaves at once (the server settles it). Signed out, it leads to sign-in
 * and back. On a card it sits above the card's stretched link.
 */
export function FavoriteButton({
  listingId,
  title,
  variant = 'card',
}: {
  listingId: string;
  title: string;
  variant?: 'card' | 'page';
}) {
  const t = useT();
  const { user } = useSession();
  const { favorited } = useIsFavorite(listingId);
  const toggle = useToggleFavorite(listingId);
  const navigate = useNavigate();
  const { pathname, search } = useLocation();

  function onClick() {
    if (!user) {
      void navigate(signInPath(`${pathname}${search}`));
      return;
    }
    toggle.mutate(!favorited);
  }

  const label = favorited ? `Remove ${title} from favorites` : `Save ${title} to favorites`;
  const icon = (
    <svg
      viewBox="0 0 20 20"
      aria-hidden="true"
      className={variant === 'card' ? 'size-5' : 'size-5 shrink-0'}
      fill={favorited ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth="1.6"
    >
      <path d={HEART} strokeLinejoin="round" />
    </svg>
  );
  if (variant === 'card') {
    return (
      <button
        type="button"
        aria-pressed={favorited}
        aria-label={label}
        title={favorited ? t('favorites.favoriteButton.saved') : t('favorites.favoriteButton.save')}
        onClick={onClick}
        data-testid="favorite-button"
        className={`relative z-10 flex size-9 items-center justify-center rounded-full bg-white/90 shadow-sm backdrop-blur hover:bg-white ${
          favorited ? 'text-rose-600' : 'text-stone-700 hover:text-rose-600'
        }`}
      >
        {icon}
      </button>
    );
  }
  return (
    <button
      type="button"
      aria-pressed={favorited}
      aria-label={label}
      onClick={onClick}
      data-testid="favorite-button"
      className={`inline-flex items-center gap-2 rounded-full border px-4 py-2 text-sm font-semibold ${
        favorited
          ? 'border-rose-300 bg-rose-50 text-rose-700'
          : 'border-stone-300 bg-white text-stone-800 hover:border-rose-400 hover:text-rose-700'
      }`}
    >
      {icon}
      <span aria-hidden="true">
        {favorited ? t('favorites.favoriteButton.saved') : t('favorites.favoriteButton.save')}
      </span>
    </button>
  );
}
