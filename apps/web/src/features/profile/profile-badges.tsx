import type { Badge } from '@souk/contracts';
import { useT } from '../../i18n/use-t';

const labels: Record<Badge, string> = {
  email_verified: 'E-mail confirmed',
  phone_added: 'Phone added',
  seller: 'Business seller',
  two_factor: 'Two-factor on',
};

export function ProfileBadges({ badges }: { badges: Badge[] }) {
  const t = useT();
  if (badges.length === 0) return null;
  return (
    <ul
      aria-label={t('profile.profileBadges.badges')}
      className="flex flex-wrap justify-center gap-2 sm:justify-start"
    >
      {badges.map((badge) => (
        <li
          key={badge}
          className="inline-flex items-center gap-1 rounded-full bg-emerald-50 px-2.5 py-1 text-xs font-medium text-emerald-800"
        >
          <span aria-hidden="true">✓</span>
          {labels[badge] ?? badge}
        </li>
      ))}
    </ul>
  );
}
