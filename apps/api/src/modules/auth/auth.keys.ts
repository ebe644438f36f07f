import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { v7 as uuidv7 } from 'uuid';

export const SIGNING_ALGORITHM = 'ES256';

/** Private signing keys (newest last) and the key that encrypts TOTP secrets at rest. */
export type AuthKeys = { signingKeys: (JWK & { kid: string })[]; encryptionKey: string };

/** How many signing keys stay trusted after a rotation: old tokens keep working until they expire. */
const KEPT_SIGNING_KEYS = 3;

export async function newSigningKey(): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: uuidv7(), alg: SIGNING_ALGORITHM, use: 'sig' };
}

/**
 * Keys come from AUTH_SIGNING_KEYS / AUTH_ENCRYPTION_KEY when set (a multi-node deployment sets
 * them once for all nodes), else from DATA_DIR/keys/auth-keys.json, created on the first start
 * with owner-only permissions.
 */
export async function loadAuthKeys(options: {
  dataDir: string;
  signingKeysJson?: string | undefined;
  encryptionKey?: string | undefined;
}): Promise<AuthKeys> {
  const file = join(options.dataDir, 'keys', 'auth-keys.json');
  let stored: AuthKeys | null = null;
  if (!options.signingKeysJson || !options.encryptionKey) {
    if (existsSync(file)) {
      stored = JSON.parse(readFileSync(file, 'utf8')) as AuthKeys;
    } else {
      stored = { signingKeys: [await newSigningKey()], encryptionKey: randomBytes(32).toString('base64') };
      writeKeysFile(file, stored);
    }
  }
  const signingKeys = options.signingKeysJson
    ? (JSON.parse(options.signingKeysJson) as { keys: AuthKeys['signingKeys'] }).keys
    : (stored as AuthKeys).signingKeys;
  const encryptionKey = options.encryptionKey ?? (stored as AuthKeys).encryptionKey;
  if (signingKeys.length === 0 || signingKeys.some((key) => !key.kid || !key.d)) {
    throw new Error('auth signing keys must be private JWKs, each with a kid');
  }
  if (Buffer.from(encryptionKey, 'base64').length !== 32) {
    throw new Error('AUTH_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  }
  return { signingKeys, encryptionKey };
}

/** Adds a new signing key (it signs from now on) and drops the oldest beyond the kept few. */
export async function rotateSigningKeys(dataDir: string): Promise<AuthKeys> {
  const file = join(dataDir, 'keys', 'auth-keys.json');
  const current = await loadAuthKeys({ dataDir });
  const next = {
    ...current,
    signingKeys: [...current.signingKeys, await newSigningKey()].slice(-KEPT_SIGNING_KEYS),
  };
  writeKeysFile(file, next);
  return next;
}

function writeKeysFile(file: string, keys: AuthKeys) {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(keys, null, 2), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
