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

/** Where mail goes: an SMTP server in production, the dev mailbox when none is configured. */
export type Mailer = {
  readonly kind: 'smtp' | 'dev-mailbox';
  /** Resolves once the message is accepted; rejects when it is not, so the mail job retries. */
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
};
