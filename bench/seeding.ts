import { apiArgs, onCleanup, ROOT, withTimeout } from './harness.js';
import { startChild, stopChild } from './processes.js';

/**
 * `npm run seed -- --listings N` as a child process (the same script users run) on the database
 * `env` names; resolves with its summary line (`listings: … inserted in … s (… rows/s)`).
 */
export async function runSeedScript(options: {
  listings: number;
  mode: 'dist' | 'src';
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  exitTimeoutMs: number;
}): Promise<string> {
  const child = startChild(
    'seed',
    [...apiArgs(options.mode, 'scripts/seed'), '--listings', String(options.listings)],
    { cwd: ROOT, env: { ...options.env, LOG_LEVEL: 'warn' }, log: options.log },
  );
  const stop = onCleanup('seed script', () => stopChild(child, 5000));
  try {
    const line = await child.waitForLine(/^listings: /, 120_000 + options.listings);
    await withTimeout(child.exited, options.exitTimeoutMs, 'the seed script to exit');
    if (child.process.exitCode !== 0) throw new Error(`the seed script failed:\n${child.tail()}`);
    return line;
  } finally {
    await stop();
  }
}
