import type { SessionUser } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { RequireAuth } from '../../shell/require-auth';
import { DataSection } from './data-section';
import { NotificationSettingsSection } from './notification-settings-section';
import { PasswordSection } from './password-section';
import { PreferencesSection } from './preferences-section';
import { ProfileSection } from './profile-section';
import { SellerSection } from './seller-section';
import { SessionsSection } from './sessions-section';
import { TwoFactorSection } from './two-factor-section';
import { VerifyEmailBanner } from './verify-email-banner';

const SECTIONS = [
  { id: 'profile', label: 'Profile' },
  { id: 'seller', label: 'Seller profile' },
  { id: 'password', label: 'Password' },
  { id: 'two-factor', label: 'Two-factor authentication' },
  { id: 'sessions', label: 'Where you are signed in' },
  { id: 'preferences', label: 'Preferences' },
  { id: 'notifications', label: 'Notifications' },
  { id: 'data', label: 'Your data and account' },
];

function AccountSettings({ user }: { user: SessionUser }) {
  const t = useT();
  return (
    <div className="lg:grid lg:grid-cols-[14rem_1fr] lg:gap-10">
      <div>
        <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">
          <FormattedMessage id="account.accountPage.accountSettings" />
        </h1>
        <p className="mt-1 truncate text-sm text-stone-600">{user.email}</p>
        <nav aria-label={t('account.accountPage.accountSettings')} className="mt-5 lg:sticky lg:top-6">
          <ul className="divide-y divide-stone-200 overflow-hidden rounded-2xl border border-stone-200 bg-white lg:divide-y-0 lg:border-0 lg:bg-transparent">
            {SECTIONS.map((section) => (
              <li key={section.id}>
                <a
                  href={`#${section.id}`}
                  className="flex items-center justify-between px-4 py-3 text-sm font-medium text-stone-800 hover:bg-brand-50 hover:text-brand-800 lg:rounded-lg lg:px-3 lg:py-2"
                >
                  {section.label}
                  <span aria-hidden="true" className="text-stone-400 lg:hidden">
                    ›
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <div className="mt-8 space-y-6 lg:mt-0">
        {!user.emailVerified && <VerifyEmailBanner email={user.email} />}
        <ProfileSection />
        <SellerSection />
        <PasswordSection user={user} />
        <TwoFactorSection user={user} />
        <SessionsSection />
        <PreferencesSection />
        <NotificationSettingsSection />
        <DataSection user={user} />
      </div>
    </div>
  );
}

export function AccountPage() {
  useDocumentTitle('Account settings');
  return <RequireAuth>{(user) => <AccountSettings user={user} />}</RequireAuth>;
}
