/**
 * Child processes, ports and plain HTTP for the benchmarks: every wait here has a deadline, and
 * every child started here is killed when the parent exits, however it exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';

const children = new Set<ChildProcess>();

// Last resort: whatever happens to the parent, no child outlives it.
process.on('exit', () => {
  for (const child of children) if (isRunning(child)) child.kill('SIGKILL');
});

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** A child whose stdout and stderr are echoed with a prefix (up to a limit) and kept for errors. */
export type Child = {
  readonly process: ChildProcess;
  readonly name: string;
  /** The last lines the child printed, for an error message. */
  tail(): string;
  /** Resolves when the child exits. */
  readonly exited: Promise<void>;
  /** Resolves with the first line of stdout that matches, within `ms`. */
  waitForLine(pattern: RegExp, ms: number): Promise<string>;
};

const ECHO_LIMIT = 100;

export function startChild(
  name: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; log: (line: string) => void },
): Child {
  // BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles every child (NODE_OPTIONS refuses --cpu-prof).
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeFlags, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const lines: string[] = [];
  const watchers = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  let echoed = 0;

  const onLine = (line: string, fromStdout: boolean) => {
    if (!line.trim()) return;
    lines.push(line);
    if (lines.length > 40) lines.shift();
    if (fromStdout) {
      for (const watcher of watchers) {
        if (watcher.pattern.test(line)) {
          watchers.delete(watcher);
          watcher.resolve(line);
          return;
        }
      }
    }
    echoed += 1;
    if (echoed <= ECHO_LIMIT) options.log(`${name}: ${line.slice(0, 300)}`);
    else if (echoed === ECHO_LIMIT + 1) options.log(`${name}: (more output not shown)`);
  };
  for (const [stream, fromStdout] of [
    [child.stdout, true],
    [child.stderr, false],
  ] as const) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        onLine(buffered.slice(0, newline), fromStdout);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
      }
    });
  }

  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      children.delete(child);
      resolve();
    });
    child.once('error', (error) => {
      lines.push(`could not start: ${error.message}`);
      children.delete(child);
      resolve();
    });
  });

  return {
    process: child,
    name,
    exited,
    tail: () => lines.slice(-15).join('\n'),
    waitForLine(pattern, ms) {
      return new Promise<string>((resolve, reject) => {
        const watcher = { pattern, resolve: (line: string) => finish(() => resolve(line)) };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`${name} printed no ${pattern} within ${ms} ms`))),
          ms,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          watchers.delete(watcher);
          settle();
        };
        watchers.add(watcher);
        void exited.then(() => finish(() => reject(new Error(`${name} exited early:\n${lines.join('\n')}`))));
      });
    },
  };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone (or after 2 s more). */
export async function stopChild(child: Child, graceMs = 12_000): Promise<void> {
  if (!isRunning(child.process)) return;
  child.process.kill('SIGTERM');
  if (await settlesWithin(child.exited, graceMs)) return;
  child.process.kill('SIGKILL');
  await settlesWithin(child.exited, 2000);
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export type RawResponse = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/**
 * One GET with no Accept-Encoding (so the body is the bytes autocannon gets too), time-bounded.
 * Only to 127.0.0.1.
 */
export function getRaw(port: number, path: string, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`GET ${path} timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}

/** Polls `path` until it answers 200, the child exits, or `ms` pass. */
export async function waitFor200(child: Child, port: number, path: string, ms: number): Promise<number> {
  const started = Date.now();
  let last = 'no answer yet';
  let gone = false;
  void child.exited.then(() => {
    gone = true;
  });
  while (Date.now() - started < ms) {
    if (gone) throw new Error(`${child.name} exited before ${path} answered 200:\n${child.tail()}`);
    try {
      const response = await getRaw(port, path, 2000);
      if (response.status === 200) return Date.now() - started;
      last = `status ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${child.name}: ${path} did not answer 200 within ${ms / 1000} s (${last})\n${child.tail()}`,
  );
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc on Linux; null elsewhere.
 * Per request it is a steadier figure than req/s on a machine other work shares.
 */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return Number.isFinite(ticks) ? ticks / 100 : null; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by every local process whose name is `name` (PostgreSQL's backends:
 * `postgres`), summed; null off Linux. A process that exits between two readings takes its
 * share with it, so it suits long-lived pools.
 */
export function cpuSecondsByName(name: string): number | null {
  if (process.platform !== 'linux') return null;
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== name) continue;
      total += cpuSeconds(Number(entry)) ?? 0;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
