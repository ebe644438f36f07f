import { type ReactNode, useEffect, useSyncExternalStore } from 'react';
import { IntlProvider } from 'react-intl';
import { catalogReady, currentCatalog, subscribeToCatalog } from './catalog';
import { DEFAULT_LOCALE } from './locale';

export function I18nProvider({ children }: { children: ReactNode }) {
  const { locale, messages } = useSyncExternalStore(subscribeToCatalog, currentCatalog);

  // Pages wait for the catalog themselves (app.tsx); this starts it for a first screen that is not
  // a page (not found), and a failure leaves the shell's messages in place.
  useEffect(() => {
    catalogReady().catch(() => undefined);
  }, []);

  return (
    <IntlProvider
      locale={locale}
      defaultLocale={DEFAULT_LOCALE}
      messages={messages as Record<string, string>}
    >
      {children}
    </IntlProvider>
  );
}
