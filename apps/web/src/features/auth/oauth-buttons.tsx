import { FormattedMessage } from 'react-intl';
import { rememberSession } from '../../lib/session-hint';
import { secondaryButton } from '../../ui/form/buttons';
import { useOAuthProviders } from './auth-queries';

/** "Continue with …" links; a full page load, since the provider's pages are not part of this app. */
export function OAuthButtons({ returnTo }: { returnTo: string }) {
  const providers = useOAuthProviders();
  if (!providers.data?.length) return null;
  return (
    <div className="mt-6">
      <p className="flex items-center gap-3 text-xs text-stone-500 uppercase before:h-px before:flex-1 before:bg-stone-200 after:h-px after:flex-1 after:bg-stone-200">
        <FormattedMessage id="auth.oauthButtons.or" />
      </p>
      <ul className="mt-4 space-y-2">
        {providers.data.map((provider) => (
          <li key={provider.id}>
            <a
              href={`/api/v1/auth/oauth/${encodeURIComponent(provider.id)}/start?${new URLSearchParams({ returnTo })}`}
              // The provider sends the browser back signed in; the app should then ask who it is.
              onClick={() => rememberSession(true)}
              className={`${secondaryButton} w-full`}
            >
              <FormattedMessage id="auth.oauthButtons.continueWith" values={{ name: provider.name }} />
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
