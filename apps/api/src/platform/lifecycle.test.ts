import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const apiRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `script` (ESM, in apps/api) in its own Node process with handleProcessEvents installed. */
function run(script: string): Promise<{ code: number | null; lines: { msg: string; kind?: string }[] }> {
  const program = `
    import { EventEmitter } from 'node:events';
    import { createLogger } from './src/platform/logger.ts';
    import { createLifecycle, handleProcessEvents } from './src/platform/lifecycle.ts';
    const logger = createLogger('info');
    const lifecycle = createLifecycle();
    handleProcessEvents({ logger, lifecycle, delayMs: 0, timeoutMs: 5_000, close: async () => logger.info('closed') });
    ${script}
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
      cwd: apiRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit: ${out}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const lines = out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; kind?: string });
      resolve({ code, lines });
    });
  });
}

describe('process events', () => {
  it('survives a database connection error nobody caught, and still exits 1 on any other', async () => {
    const { code, lines } = await run(`
      // What pg-pool and pg-boss raised during a PostgreSQL restart, outside any request.
      Promise.reject(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
      setTimeout(() => {
        new EventEmitter().emit('error', new Error('Connection terminated unexpectedly'));
      }, 50);
      setTimeout(() => {
        logger.info('still running');
        Promise.reject(new TypeError('a bug'));
      }, 300);
    `);
    const messages = lines.map((line) => line.msg);
    expect(messages.filter((msg) => msg.includes('not fatal'))).toHaveLength(2);
    expect(messages).toContain('still running');
    expect(messages).toContain('shutting down after an uncaught error');
    expect(messages).toContain('closed');
    expect(code).toBe(1);
  });

  it('drains on SIGTERM and exits 0', async () => {
    const { code, lines } = await run(`
      setTimeout(() => process.kill(process.pid, 'SIGTERM'), 50);
      setInterval(() => {}, 1000);
    `);
    expect(lines.map((line) => line.msg)).toContain('closed');
    expect(code).toBe(0);
  });
});
