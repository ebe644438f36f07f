import { useEffect } from 'react';
import { useSession } from '../api/auth';
import { usePreferences } from '../api/users';
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
