/**
 * What an audit entry keeps of a before/after state: everything but secrets. A key that names a
 * credential (password, token, secret, key material, one-time codes, card or bank numbers) has
 * its value replaced by '[redacted]' at any depth, so a caller passing a whole row cannot leak
 * a password hash or a payout account number into a log that is kept forever.
 */
const SECRET_KEY =
  /(pass(word)?|secret|token|api[_-]?key|private[_-]?key|otp|totp|recovery|code[_-]?hash|hash$|^code$|pin|cvc|cvv|card[_-]?number|pan$|iban|account[_-]?number|signature|cookie|authorization)/i;

export const REDACTED = '[redacted]';

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (depth > 20) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactSecrets(item, depth + 1);
  }
  return out;
}
