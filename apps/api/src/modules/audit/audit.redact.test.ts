import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redactSecrets } from './audit.redact.js';

describe('redactSecrets', () => {
  it('redacts credentials by key word, in any case style, at any depth', () => {
    for (const key of [
      'password',
      'passwordHash',
      'password_hash',
      'refreshToken',
      'api-key',
      'apiKey',
      'totpSecret',
      'recoveryCodes',
      'cardNumber',
      'account_number',
      'iban',
      'Authorization',
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
    expect(
      redactSecrets({ user: { email: 'a@b.test', passwordHash: 'x' }, list: [{ token: 't', ok: true }] }),
    ).toEqual({ user: { email: 'a@b.test', passwordHash: REDACTED }, list: [{ token: REDACTED, ok: true }] });
  });

  it('keeps ordinary fields whose names merely contain a secret word', () => {
    for (const key of [
      'shippingCost',
      'footprint',
      'compass',
      'status',
      'roles',
      'accountId',
      'keyId',
      'company',
    ]) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });

  it('turns dates into ISO text and drops undefined fields', () => {
    const at = new Date('2026-12-07T10:00:00Z');
    expect(redactSecrets({ at, gone: undefined, n: 1 })).toEqual({ at: '2026-12-07T10:00:00.000Z', n: 1 });
    expect(redactSecrets(undefined)).toBeNull();
  });
});
