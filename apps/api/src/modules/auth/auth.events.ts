/** Events the auth module publishes in the transaction of the change. */
export type AuthEvents = {
  'auth.user_registered': { userId: string; method: string };
  'auth.email_verified': { userId: string };
  'auth.password_changed': { userId: string; reason: 'changed' | 'reset' };
  'auth.refresh_token_reused': { userId: string; sessionId: string };
};
