import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/**
 * Every environment variable Souk reads. `.env.example` and the README list the same names;
 * `config.test.ts` keeps them in step.
 */
export const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce
      .number({ error: 'must be a whole number between 0 and 65535' })
      .int('must be a whole number between 0 and 65535')
      .min(0, 'must be a whole number between 0 and 65535')
      .max(65535, 'must be a whole number between 0 and 65535')
      .default(3000),
    PUBLIC_URL: z.url({ error: 'must be an absolute http(s) URL' }).optional(),
    ROLE: z.enum(['all', 'api', 'worker']).default('all'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(3_600_000)
      .default(30_000)
      .describe('PostgreSQL cancels a statement running longer (the client stops waiting 5 s later); 0: off'),
    DATABASE_REPLICA_URLS: commaList
      .pipe(
        z.array(z.url({ protocol: /^postgres(ql)?$/, error: 'must list postgres:// or postgresql:// URLs' })),
      )
      .default([])
      .describe('streaming replicas for reads that tolerate a little lag (search, listing pages)'),
    DATABASE_REPLICA_MAX_LAG_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(3_600_000)
      .default(5_000)
      .describe('a replica replaying further behind is skipped until it catches up'),
    DATABASE_READ_YOUR_WRITES_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(3_600)
      .default(5)
      .describe("a member's reads go to the primary this long after they wrote"),
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL (OTLP/HTTP)' })
      .optional()
      .describe('traces go to <endpoint>/v1/traces; unset: tracing off and not loaded'),
    OTEL_SERVICE_NAME: z.string().min(1).default('souk'),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(1024 * 1024),
    CORS_ORIGINS: commaList.default([]),
    SEED_DEMO_DATA: z.enum(['auto', 'always', 'never']).default('auto'),
    WEB_DIST_DIR: z.string().min(1).optional(),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    SHUTDOWN_DELAY_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(5_000)
      .describe('after SIGTERM, /health/ready says 503 this long before the listener closes'),
    REQUEST_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .max(600_000)
      .default(30_000)
      .describe(
        "a request's headers must arrive within this; so must its body, unless it keeps the minimum rate",
      ),
    REQUEST_BODY_MIN_BYTES_PER_SECOND: z.coerce
      .number()
      .int()
      .min(1)
      .max(100 * 1024 * 1024)
      .default(4096)
      .describe('a body still arriving after REQUEST_TIMEOUT_MS must have averaged at least this'),
    METRICS_ENABLED: booleanFlag.default(true),
    SMTP_URL: z
      .url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' })
      .optional()
      .describe('unset keeps mail in the dev mailbox'),
    MAIL_FROM: z.string().min(3).max(200).default('Souk <no-reply@souk.localhost>'),
    SMS_PROVIDER: z
      .enum(['log'])
      .default('log')
      .describe('where notification text messages go; `log` writes them to the log'),
    TRUST_PROXY: z
      .string()
      .regex(
        /^(false|true|\d+|[0-9a-fA-F.:/, ]+|loopback|linklocal|uniquelocal)$/,
        'must be false, true, a hop count or addresses',
      )
      .default('false')
      .transform((value): boolean | number | string => {
        if (value === 'false') return false;
        if (value === 'true') return true;
        return /^\d+$/.test(value) ? Number(value) : value;
      }),
    LISTING_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
    REALTIME_HEARTBEAT_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(300)
      .default(30)
      .describe('the realtime socket pings every N seconds and drops a socket that missed the last pong'),
    REALTIME_EVENT_RETENTION_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72)
      .describe('how long stored realtime events stay available for resume after a reconnect'),
    IMPORT_MAX_FILE_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(2 * 1024 * 1024 * 1024)
      .default(200 * 1024 * 1024),
    IMPORT_MAX_ARCHIVE_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(8 * 1024 * 1024 * 1024)
      .default(1024 * 1024 * 1024),
    IMPORT_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
    IMPORT_ALLOW_PRIVATE_URLS: booleanFlag
      .default(false)
      .describe('lets imports fetch images from private, loopback and link-local addresses'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    REFRESH_REUSE_GRACE_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .max(300)
      .default(30)
      .describe(
        'how long a rotated refresh token still answers with its successor (tabs refreshing at once)',
      ),
    AUTH_SIGNING_KEYS: z
      .string()
      .refine(isJwksWithKeys, 'must be a JWKS JSON document {"keys":[...]} of private keys')
      .optional(),
    AUTH_ENCRYPTION_KEY: z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .optional(),
    ADMIN_EMAIL: z.email({ error: 'must be an e-mail address' }).optional(),
    GOOGLE_CLIENT_ID: z.string().min(1).optional(),
    GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_ISSUER_URL: z.url({ error: 'must be the issuer URL of an OpenID Connect provider' }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).max(40).default('Single sign-on'),
    OIDC_ALLOW_HTTP: booleanFlag
      .default(false)
      .describe('lets tests use a provider on plain http; refused in production'),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
      .optional()
      .describe('set: uploaded files go to this S3-compatible bucket instead of DATA_DIR/media'),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ENDPOINT: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .optional()
      .describe('another S3-compatible service (MinIO, R2...); unset means AWS'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .optional()
      .describe('where the stored files are served from, e.g. a CDN; default the bucket URL'),
    S3_FORCE_PATH_STYLE: booleanFlag.default(false),
  })
  .superRefine((config, context) => {
    if (config.SHUTDOWN_DELAY_MS >= config.SHUTDOWN_TIMEOUT_MS) {
      context.addIssue({
        code: 'custom',
        path: ['SHUTDOWN_DELAY_MS'],
        message: 'must be shorter than SHUTDOWN_TIMEOUT_MS, which it is part of',
      });
    }
    if (config.NODE_ENV === 'production' && config.OIDC_ALLOW_HTTP) {
      context.addIssue({
        code: 'custom',
        path: ['OIDC_ALLOW_HTTP'],
        message: 'must not be true in production',
      });
    }
    if (Boolean(config.GOOGLE_CLIENT_ID) !== Boolean(config.GOOGLE_CLIENT_SECRET)) {
      context.addIssue({
        code: 'custom',
        path: ['GOOGLE_CLIENT_ID'],
        message: 'and GOOGLE_CLIENT_SECRET go together',
      });
    }
    if (Boolean(config.S3_ACCESS_KEY_ID) !== Boolean(config.S3_SECRET_ACCESS_KEY)) {
      context.addIssue({
        code: 'custom',
        path: ['S3_ACCESS_KEY_ID'],
        message: 'and S3_SECRET_ACCESS_KEY go together',
      });
    }
    if (config.DATABASE_REPLICA_URLS.length > 0 && !config.DATABASE_URL) {
      context.addIssue({
        code: 'custom',
        path: ['DATABASE_REPLICA_URLS'],
        message: 'needs DATABASE_URL (the embedded database has no replicas)',
      });
    }
    if (config.OIDC_ISSUER_URL && !config.OIDC_CLIENT_ID) {
      context.addIssue({
        code: 'custom',
        path: ['OIDC_CLIENT_ID'],
        message: 'is needed with OIDC_ISSUER_URL',
      });
    }
  });

export type Config = z.output<typeof ConfigSchema>;

function isJwksWithKeys(value: string): boolean {
  try {
    const parsed = JSON.parse(value) as { keys?: unknown };
    return Array.isArray(parsed.keys) && parsed.keys.length > 0;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment. Throws a ConfigError whose message is one line naming every bad
 * variable, so `main` can print it and exit without a stack trace.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set": `PORT= npm start` should behave like no PORT at all.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = ConfigSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    const given = cleaned[name];
    const shown = given === undefined ? '' : ` (got ${JSON.stringify(redactUrl(given))})`;
    return `${name} ${issue.message}${shown}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

/** Hides a password inside a connection URL before it is printed. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
