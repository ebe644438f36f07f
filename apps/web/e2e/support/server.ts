import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const serverEntry = fileURLToPath(new URL('apps/api/dist/main.js', `file://${repoRoot}`));
const webIndex = fileURLToPath(new URL('apps/web/dist/index.html', `file://${repoRoot}`));

// A slower machine (or one shared with other builds) may set E2E_READY_TIMEOUT_MS; a first start
// took 111 s at load average 28, so the default leaves room for that (the hook budget is 240 s).
const READY_TIMEOUT_MS = Number(process.env.E2E_READY_TIMEOUT_MS) || 200_000;

/**
 * Souk settings the test runner's own environment might carry (vitest sets NODE_ENV=test; CI may set
 * a database or Redis). The server under test gets none of them, so it runs as a plain `npm start`
 * on the embedded database.
 */
const SOUK_SETTINGS = [
  'NODE_ENV',
  'HOST',
  'PORT',
  'PUBLIC_URL',
  'ROLE',
  'DATA_DIR',
  'DATABASE_URL',
  'DATABASE_POOL_MAX',
  'REDIS_URL',
  'LOG_LEVEL',
  'BODY_LIMIT_BYTES',
  'CORS_ORIGINS',
  'SEED_DEMO_DATA',
  'WEB_DIST_DIR',
  'SHUTDOWN_TIMEOUT_MS',
  'METRICS_ENABLED',
];

function serverEnv(port: number, dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!SOUK_SETTINGS.includes(name) && !name.startsWith('VITEST')) env[name] = value;
  }
  return { ...env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extra };
}
const STOP_TIMEOUT_MS = 20_000;

/** Fails with a message a person can act on when the build output the tests drive is missing. */
export function assertBuilt(): void {
  const missing = [serverEntry, webIndex].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `The e2e tests drive the built app, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing. ` +
        'Run `npm run build` at the repository root first.',
    );
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('could not read the probe port'));
        return;
      }
      probe.close(() => resolve(address.port));
    });
  });
}

export type RunningServer = {
  readonly url: string;
  readonly child: ChildProcess;
  /** Sends SIGTERM and resolves with the exit code once the process has exited (SIGKILL after a timeout). */
  stop(): Promise<number | null>;
  /** What the process wrote so far, for failure messages. */
  output(): string;
};

/**
 * Starts `node apps/api/dist/main.js` the way `npm start` does and waits until /health/ready answers 200.
 * `env` adds settings on top (PUBLIC_URL, say); they win over the defaults above.
 */
export async function startServer({
  port,
  dataDir,
  env = {},
}: {
  port: number;
  dataDir: string;
  env?: Record<string, string>;
}): Promise<RunningServer> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [serverEntry], {
    cwd: repoRoot,
    env: serverEnv(port, dataDir, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

  const server: RunningServer = {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `The server exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready:\n${output}`,
      );
    }
    try {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return server;
      lastProblem = `GET /health/ready answered ${response.status}: ${await response.text()}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.stop();
  throw new Error(
    `The server was not ready within ${READY_TIMEOUT_MS / 1000} s (${lastProblem}). Its output:\n${output}`,
  );
}
