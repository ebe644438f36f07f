import { type ErrorCatalog, errorFactory } from '../http/errors.js';

export type MailErrorCode = 'mail_not_found' | 'invalid_cursor';

export const mailErrors: ErrorCatalog<MailErrorCode> = {
  mail_not_found: { status: 404, title: 'No such mail in the dev mailbox' },
  invalid_cursor: { status: 400, title: 'The cursor is not valid' },
};

export const mailError = errorFactory(mailErrors);
