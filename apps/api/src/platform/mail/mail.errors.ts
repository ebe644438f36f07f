import { type ErrorCatalog, errorFactory } from '../http/errors.js';

export type MailErrorCode = 'mail_not_found';

export const mailErrors: ErrorCatalog<MailErrorCode> = {
  mail_not_found: { status: 404, title: 'No such mail in the dev mailbox' },
};

export const mailError = errorFactory(mailErrors);
