import { createTransport } from 'nodemailer';
import type { Logger } from '../logger.js';
import { domainOf, type Mailer, type MailMessage } from './mailer.js';

export type SmtpMailer = Mailer & { readonly kind: 'smtp' };

export type SmtpMailerOptions = {
  /** smtp:// (STARTTLS when the server offers it) or smtps:// (TLS from the start); credentials in the URL. */
  url: string;
  /** The From header of every mail, e.g. `Souk <no-reply@example.com>`. */
  from: string;
  logger: Logger;
  /** Milliseconds to connect, to get the greeting, and of silence mid-conversation. */
  timeoutMs?: number;
};

/**
 * Sends through an SMTP server over a small pool of reused connections. A dead or stalling
 * server makes `send` reject within the timeouts instead of holding a job worker forever.
 */
export function createSmtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = createTransport({
    pool: true,
    // The URL's own settings (smtps://, port, credentials, ?requireTLS=true...) win over these.
    url: options.url,
    maxConnections: 3,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    // The pool retries a connection that drops mid-delivery; pg-boss retries the rest.
    maxRequeues: 1,
  });
  const log = options.logger.child({ component: 'mail' });

  return {
    kind: 'smtp',
    domain: domainOf(options.from),
    async send(message: MailMessage) {
      const info = await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        ...(message.headers ? { headers: message.headers } : {}),
        ...(message.messageId ? { messageId: message.messageId } : {}),
      });
      if (info.rejected.length > 0) {
        // Some servers accept the message but refuse this recipient; for one recipient that is a failure.
        throw new Error(`the SMTP server refused the recipient (${info.response})`);
      }
      // The address is personal data and the body may hold a token; the message id is enough to trace.
      log.info({ messageId: info.messageId }, 'mail sent');
    },
    async close() {
      transport.close();
    },
  };
}
