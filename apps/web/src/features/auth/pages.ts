// The feature's pages: the router loads this file, so each feature is one lazy chunk.
export * from './forgot-password-page';
export * from './reset-password-page';
export * from './sign-in-page';
export * from './sign-up-page';
export * from './unlock-account-page';
export * from './verify-email-page';
