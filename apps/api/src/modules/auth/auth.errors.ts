import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const authErrors = {
  email_taken: { status: 409, title: 'An account with this e-mail exists' },
  password_too_common: { status: 400, title: 'This password is too common' },
  invalid_credentials: { status: 401, title: 'Wrong e-mail or password' },
  too_many_attempts: { status: 429, title: 'Too many attempts; wait a few minutes' },
  account_locked: { status: 429, title: 'Too many wrong passwords for this account; unlock it by mail' },
  email_unverified: { status: 403, title: 'Confirm your e-mail address first' },
  invalid_mfa_token: { status: 401, title: 'The sign-in step expired; sign in again' },
  invalid_mfa_code: { status: 401, title: 'That code is not right' },
  invalid_refresh_token: { status: 401, title: 'The session has ended; sign in again' },
  refresh_token_reused: { status: 401, title: 'The session was ended because its token was reused' },
  session_not_found: { status: 404, title: 'No such session' },
  invalid_token: { status: 400, title: 'The link is invalid or has expired' },
  wrong_password: { status: 403, title: 'The password is not right' },
  two_factor_already_enabled: { status: 409, title: 'Two-factor authentication is already on' },
  two_factor_not_started: { status: 409, title: 'Start two-factor set-up first' },
  two_factor_not_enabled: { status: 409, title: 'Two-factor authentication is off' },
  csrf_token_invalid: { status: 403, title: 'Missing or invalid CSRF token' },
  oauth_provider_unknown: { status: 404, title: 'No such sign-in provider' },
  oauth_failed: { status: 400, title: 'Signing in with the provider failed' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type AuthErrorCode = keyof typeof authErrors;

export const authError = errorFactory(authErrors);
