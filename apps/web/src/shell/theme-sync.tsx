import { useEffect } from 'react';
import { usePreferences } from '../features/account/users-queries';
import { useSession } from '../features/auth/session-queries';
import { applyTheme } from '../lib/theme';

/** Applies the signed-in member's theme preference; signed out, this device's last choice stays. */
export function ThemeSync() {
  const { status } = useSession();
  const preferences = usePreferences(status === 'signed_in');
  const theme = preferences.data?.theme;
  useEffect(() => {
    if (theme) applyTheme(theme);
  }, [theme]);
  return null;
}
