import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';
import { waitUntil } from './wait.js';

const apiRoot = fileURLToPath(new URL('../..', import.meta.url));

export type Role = 'all' | 'api' | 'worker';

/** One real Souk process (`src/main.ts` through tsx, or the built `dist/main.js`). */
export type SoukProcess = {
  readonly name: string;
  readonly role: Role;
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  readonly logFile: string;
  /** Still the process that was started (not exited). */
  alive(): boolean;
  /** Resolves when it exits, with its exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Waits until GET /health/ready answers 200. */
  waitReady(timeoutMs?: number): Promise<void>;
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it has not exited within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** Log lines at fatal level, and anything that is not a JSON log line (a crash's stack). */
  fatalLines(): string[];
};

export type SoukOptions = {
  name: string;
  role: Role;
  databaseUrl: string;
  /** Shared by every node of a test: the signing keys live in DATA_DIR/keys. */
  dataDir: string;
  /** Where the log file goes. */
  runDir: string;
  env?: Record<string, string>;
  /** Listen on this port (a node restarted behind a balancer keeps its address); a free one by default. */
  port?: number;
};

/**
 * The environment every node runs with: production mode, no demo data, no send limit hiding a
 * fault, tokens that outlive the suite, no pre-stop delay unless a test asks for one.
 */
export const baseEnv: Record<string, string> = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  SEED_DEMO_DATA: 'never',
  MESSAGES_PER_MINUTE: '100000',
  ACCESS_TOKEN_TTL_SECONDS: '3600',
  SHUTDOWN_DELAY_MS: '0',
  METRICS_ENABLED: 'true',
  // Tokens name their issuer: every node (and the fixtures) must say the same.
  PUBLIC_URL: 'http://souk.faults.test',
};

/** FAULTS_ENTRY=dist runs the built server (after `npm run build`); the default runs the source. */
function entry(): string[] {
  if (process.env.FAULTS_ENTRY === 'dist') return ['dist/main.js'];
  return ['--conditions=@souk/source', '--import', 'tsx', 'src/main.ts'];
}

// A test runner that dies (a timeout, ^C) must not leave nodes behind.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startSouk(options: SoukOptions): Promise<SoukProcess> {
  const port = options.port ?? (await freePort());
  const logFile = join(options.runDir, `${options.name}.log`);
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, entry(), {
    cwd: apiRoot,
    env: {
      PATH: process.env.PATH ?? '',
      ...baseEnv,
      ROLE: options.role,
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: options.dataDir,
      ...options.env,
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (!child.pid) throw new Error(`${options.name} did not start`);
  running.add(child);
  let exitedAt: number | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => {
      child.once('exit', (code, signal) => {
        exitedAt = Date.now();
        resolve({ code, signal, at: exitedAt });
      });
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const alive = () => exitedAt === null;
  const readLog = () => readFileSync(logFile, 'utf8');
  return {
    name: options.name,
    role: options.role,
    pid: child.pid,
    port,
    baseUrl,
    logFile,
    alive,
    exited,
    async waitReady(timeoutMs = 120_000) {
      await waitUntil(
        async () => {
          if (!alive()) throw new Error(`${options.name} exited while starting:\n${readLog().slice(-3000)}`);
          try {
            const answer = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
            return answer.status === 200;
          } catch {
            return false;
          }
        },
        { timeoutMs, what: `${options.name} to be ready`, intervalMs: 200 },
      );
    },
    signal(signal) {
      if (alive()) child.kill(signal);
    },
    async stop(timeoutMs = 30_000) {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
    fatalLines() {
      return readLog()
        .split('\n')
        .filter((line) => {
          if (!line.trim()) return false;
          try {
            const entry = JSON.parse(line) as { level?: number };
            return (entry.level ?? 0) >= 60;
          } catch {
            return true;
          }
        });
    },
  };
}
