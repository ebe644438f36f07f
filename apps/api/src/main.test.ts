import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const apiRoot = fileURLToPath(new URL('..', import.meta.url));

/** Starts `main.ts` as `npm start` would and collects what it prints until it exits. */
function start(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@souk/source', '--import', 'tsx', 'src/main.ts'], {
      cwd: apiRoot,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`main.ts did not exit; stderr: ${stderr}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('start-up with bad configuration', () => {
  it.each([
    [
      { PORT: 'abc' },
      /^Invalid configuration: PORT must be a whole number between 0 and 65535 \(got "abc"\)$/,
    ],
    [
      { DATABASE_URL: 'mysql://root@localhost/souk' },
      /^Invalid configuration: DATABASE_URL must be a postgres:\/\//,
    ],
    [{ DATABASE_URL: 'postgres://souk:secret@127.0.0.1:1/souk' }, /^Souk could not start: .*ECONNREFUSED.*$/],
  ])('%o stops with exit code 1 and one line', async (env, message) => {
    const result = await start(env);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toContain('secret');
  });
});
