/** PostgreSQL's SQLSTATE of an error, whether drizzle wrapped it (as `cause`) or not. */
export function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';
export const isForeignKeyViolation = (error: unknown) => sqlState(error) === '23503';

/** Thrown instead of waiting while the database watchdog says PostgreSQL does not answer. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  constructor() {
    super('The database does not answer');
  }
}

// Node socket errors of a connection that could not be made or broke.
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// node-postgres and pg-pool say these in words only.
const unavailableMessages = [
  'Connection terminated',
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'is not queryable',
];

/**
 * Whether `error` (or a cause it wraps) says the database is gone, restarting, stalled or too
 * slow: worth a 503 with Retry-After rather than a 500, and never a reason to end the process.
 * SQLSTATE 57P01-57P03 (shutdown, crash, starting up), 08xxx (connection exceptions), 53300
 * (too many connections) and 57014 (statement timeout or cancel).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof DatabaseUnavailableError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (/^(57P0[123]|08[0-9A-Z]{3}|53300|57014)$/.test(code) || networkCodes.has(code)) return true;
    }
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && unavailableMessages.some((known) => message.includes(known)))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
