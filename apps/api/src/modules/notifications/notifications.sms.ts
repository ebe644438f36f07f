import type { Logger } from '../../platform/logger.js';

export type SmsMessage = { to: string; text: string; reference: string };

/** Where text messages go. Resolves once the provider accepted the message; rejects otherwise. */
export type SmsProvider = {
  readonly kind: string;
  send(message: SmsMessage): Promise<void>;
};

/**
 * The default provider: writes each message to the log (the number masked). A real provider
 * (Twilio, Vonage...) is one more implementation of {@link SmsProvider}, selected by SMS_PROVIDER.
 */
export function createLogSmsProvider(logger: Logger): SmsProvider & { readonly sent: SmsMessage[] } {
  const sent: SmsMessage[] = [];
  const log = logger.child({ component: 'sms' });
  return {
    kind: 'log',
    sent,
    async send(message) {
      // Kept for tests and the operator's eyes; bounded so a busy process does not grow.
      sent.push(message);
      if (sent.length > 100) sent.shift();
      log.info(
        { to: mask(message.to), reference: message.reference, text: message.text },
        'sms (log provider)',
      );
    },
  };
}

function mask(phone: string): string {
  return phone.length <= 4 ? '****' : `${'*'.repeat(phone.length - 4)}${phone.slice(-4)}`;
}
