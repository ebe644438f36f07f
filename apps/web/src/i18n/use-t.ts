import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import type { MessageId } from './messages';

export type MessageValues = Record<string, string | number | Date | null | undefined>;
export type Translate = (id: MessageId, values?: MessageValues) => string;

/** A message as a plain string, for attributes (aria-label, placeholder, title, alt) and titles. */
export function useT(): Translate {
  const intl = useIntl();
  return useCallback((id, values) => intl.formatMessage({ id }, values), [intl]);
}
