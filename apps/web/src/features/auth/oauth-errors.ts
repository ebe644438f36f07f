// The OAuth callback sends people back to /sign-in?error=<code> when signing in with a provider fails.
const messages: Record<string, string> = {
  oauth_failed:
    'Signing in with that provider did not work. Try again, or sign in with your e-mail and password.',
  oauth_provider_unknown: 'That sign-in provider is not available on this site.',
  too_many_attempts: 'Too many sign-in attempts. Wait a few minutes and try again.',
  rate_limited: 'Too many sign-in attempts. Wait a few minutes and try again.',
};

export function oauthErrorMessage(code: string): string {
  return messages[code] ?? 'We could not sign you in with that provider. Please try again.';
}
