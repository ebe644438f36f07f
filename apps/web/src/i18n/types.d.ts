import type { MessageId } from './messages';

// react-intl checks message ids against the English catalog at compile time.
declare global {
  namespace FormatjsIntl {
    interface Message {
      ids: MessageId;
    }
  }
}
