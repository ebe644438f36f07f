import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { createDevMailbox, type DevMailbox } from './dev-mailbox.js';
import { createSmtpMailer, type SmtpMailer } from './smtp-mailer.js';

export type { DevMailbox } from './dev-mailbox.js';
export { createDevMailbox, DEV_MAILBOX_KEEP } from './dev-mailbox.js';
export { defineMailJob, MAIL_QUEUE, sendMail } from './mail.jobs.js';
export { devMailboxRoutes } from './mail.routes.js';
export type { Mailer, MailMessage } from './mailer.js';
export type { SmtpMailer } from './smtp-mailer.js';
export { createSmtpMailer } from './smtp-mailer.js';
export type { RenderedMail } from './templates.js';
export { mailTemplates, newSignIn, passwordChanged, resetPassword, verifyEmail } from './templates.js';

/** The mailer a platform runs with; `kind` tells which, so the dev mailbox's extra methods are reachable. */
export type PlatformMailer = SmtpMailer | DevMailbox;

/**
 * Mail goes to the SMTP server of `SMTP_URL` when it is set, and into the dev mailbox (a table
 * read by the `/dev/mailbox` page) when it is not. Modules never call `send` directly: they
 * enqueue with {@link sendMail}, and the `mail.send` job calls the mailer.
 */
export function createMailer(deps: {
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'NODE_ENV'>;
  database: Pick<Database, 'db' | 'transaction'>;
  logger: Logger;
}): PlatformMailer {
  const { config, database, logger } = deps;
  if (config.SMTP_URL) return createSmtpMailer({ url: config.SMTP_URL, from: config.MAIL_FROM, logger });
  if (config.NODE_ENV === 'production') {
    logger.warn('SMTP_URL is not set: mail is kept in the dev_mailbox table and never delivered');
  }
  return createDevMailbox({ database, from: config.MAIL_FROM });
}

/**
 * Whether to serve the dev mailbox API: only when mail is kept, not sent, and never in
 * production, where kept mail (reset links) must not be readable by anyone who asks.
 */
export function servesDevMailbox(
  config: Pick<Config, 'NODE_ENV'>,
  mailer: PlatformMailer,
): mailer is DevMailbox {
  return mailer.kind === 'dev-mailbox' && config.NODE_ENV !== 'production';
}
