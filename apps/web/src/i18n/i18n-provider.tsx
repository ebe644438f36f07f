import { type ReactNode, useEffect, useState } from 'react';
import { IntlProvider } from 'react-intl';
import { DEFAULT_LOCALE, setActiveLocale } from './locale';
import { englishMessages, LOCALES, loadMessages, type Messages } from './messages';

/** The reader's first supported language, English otherwise. */
function preferredLocale(): string {
  const wanted = typeof navigator === 'undefined' ? [] : navigator.languages;
  for (const tag of wanted) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (LOCALES.includes(base)) return base;
  }
  return DEFAULT_LOCALE;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ locale: string; messages: Messages }>({
    locale: DEFAULT_LOCALE,
    messages: englishMessages,
  });

  useEffect(() => {
    const locale = preferredLocale();
    if (locale === DEFAULT_LOCALE) {
      setActiveLocale(locale);
      return;
    }
    let current = true;
    void loadMessages(locale).then((messages) => {
      if (!current) return;
      setActiveLocale(locale);
      setState({ locale, messages });
    });
    return () => {
      current = false;
    };
  }, []);

  return (
    <IntlProvider locale={state.locale} defaultLocale={DEFAULT_LOCALE} messages={state.messages}>
      {children}
    </IntlProvider>
  );
}
