/**
 * What an audit entry keeps of a before/after state: everything but secrets. A key that names a
 * credential (password, token, secret, key material, one-time codes, card or bank numbers) has
 * its value replaced by '[redacted]' at any depth, so a caller passing a whole row cannot leak
 * a password hash or a payout account number into a log that is kept forever.
 *
 * Keys are compared word by word (`passwordHash`, `password_hash` and `api-key` are split into
 * words), not by substring: `shippingCost` holds "pin" and `footprint` holds "otp", and neither
 * is a secret.
 */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'otp',
  'totp',
  'pin',
  'cvc',
  'cvv',
  'iban',
  'pan',
  'signature',
  'cookie',
  'cookies',
  'authorization',
  'hash',
  'credential',
  'credentials',
]);
const SECRET_PAIRS = new Set([
  'api key',
  'private key',
  'access key',
  'card number',
  'account number',
  'recovery codes',
  'recovery code',
  'backup codes',
]);

export const REDACTED = '[redacted]';

function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretKey(key: string): boolean {
  const words = wordsOf(key);
  return words.some(
    (word, i) => SECRET_WORDS.has(word) || (i > 0 && SECRET_PAIRS.has(`${words[i - 1]} ${word}`)),
  );
}

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (depth > 20) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    out[key] = isSecretKey(key) ? REDACTED : redactSecrets(item, depth + 1);
  }
  return out;
}
