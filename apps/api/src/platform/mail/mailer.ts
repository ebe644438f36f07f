/** One mail, always with a plain-text and an HTML version (clients pick the one they show). */
export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe (RFC 8058); the dev mailbox does not keep them. */
  headers?: Record<string, string>;
  /** A fixed Message-ID, so a mail sent twice (a retry after a crash) is recognisably the same. */
  messageId?: string;
};

/** The domain of a From value such as `Souk <no-reply@example.com>` or `no-reply@example.com`. */
export function domainOf(from: string): string {
  const address = /<([^>]*)>/.exec(from)?.[1] ?? from;
  const domain = address.slice(address.lastIndexOf('@') + 1).trim();
  return /^[a-z0-9.-]+$/i.test(domain) ? domain : 'souk.localhost';
}

/** Where mail goes: an SMTP server in production, the dev mailbox when none is configured. */
export type Mailer = {
  readonly kind: 'smtp' | 'dev-mailbox';
  /** The sender's domain (of MAIL_FROM): the right-hand side of the Message-IDs Souk makes. */
  readonly domain: string;
  /** Resolves once the message is accepted; rejects when it is not, so the mail job retries. */
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
};
