import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/ports.js';
import { waitUntil } from '../support/wait.js';

/** deploy/nginx in the repository: the configuration under test, used as shipped. */
export const DEPLOY_NGINX_DIR = fileURLToPath(new URL('../../../../deploy/nginx', import.meta.url));
const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const MODULES = '/usr/lib/nginx/modules';

/** Whether Debian's nginx is installed (`apt-get install nginx`). */
export const hasNginx = existsSync(NGINX);
/** Whether Debian's brotli modules are (`libnginx-mod-http-brotli-filter`, `-static`). */
export const hasBrotli =
  existsSync(join(MODULES, 'ngx_http_brotli_filter_module.so')) &&
  existsSync(join(MODULES, 'ngx_http_brotli_static_module.so'));

/**
 * Every request through the test's nginx, one JSON line each: which node answered (or refused),
 * so a failed request can be traced to the node it was in flight on.
 */
export type EdgeLogLine = {
  at: number;
  method: string;
  uri: string;
  status: number;
  /** `127.0.0.1:1234, 127.0.0.1:5678` when nginx tried two nodes. */
  upstream: string;
  upstreamStatus: string;
  /** The client's `x-test-id` header, to match a request to its log line. */
  testId: string;
  requestTime: number;
};

export type Nginx = {
  readonly port: number;
  readonly baseUrl: string;
  readonly prefix: string;
  /** Rewrites souk.d/upstream.conf with these node ports and reloads (SIGHUP). */
  setUpstreams(ports: number[]): Promise<void>;
  accessLog(): EdgeLogLine[];
  errorLog(): string;
  stop(): Promise<void>;
};

// A runner that dies must not leave nginx behind.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Runs Debian's nginx in the foreground (`daemon off`, so it is this process's child) with
 * deploy/nginx/souk.conf and souk.d/ copied into its own prefix under `runDir`: its own pid,
 * logs and temp paths, a free port, the nodes named by `upstreams`, `webRoot` as the web app.
 * Never the system nginx or its configuration.
 */
export async function startNginx(options: {
  runDir: string;
  upstreams: number[];
  webRoot: string;
  /** Copies deploy/nginx/available/<name>.conf into souk.d/enabled/. */
  extras?: Array<'brotli' | 'rate-limit'>;
  workers?: number;
}): Promise<Nginx> {
  const prefix = join(options.runDir, 'nginx');
  const conf = join(prefix, 'conf');
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  mkdirSync(join(prefix, 'temp'), { recursive: true });
  cpSync(join(DEPLOY_NGINX_DIR, 'souk.conf'), join(conf, 'souk.conf'));
  cpSync(join(DEPLOY_NGINX_DIR, 'souk.d'), join(conf, 'souk.d'), { recursive: true });
  mkdirSync(join(conf, 'souk.d', 'enabled'), { recursive: true });
  for (const extra of options.extras ?? []) {
    cpSync(
      join(DEPLOY_NGINX_DIR, 'available', `${extra}.conf`),
      join(conf, 'souk.d', 'enabled', `${extra}.conf`),
    );
  }
  const port = await freePort();
  writeFileSync(join(conf, 'souk.d', 'listen.conf'), `listen 127.0.0.1:${port};\n`);
  writeFileSync(join(conf, 'souk.d', 'web-root.conf'), `root ${options.webRoot};\n`);
  const writeUpstreams = (ports: number[]) =>
    writeFileSync(
      join(conf, 'souk.d', 'upstream.conf'),
      ports.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;\n`).join(''),
    );
  writeUpstreams(options.upstreams);
  const temp = (name: string) => `${name}_temp_path ${join(prefix, 'temp', name)};`;
  const brotli = (options.extras ?? []).includes('brotli')
    ? `load_module ${MODULES}/ngx_http_brotli_filter_module.so;\nload_module ${MODULES}/ngx_http_brotli_static_module.so;\n`
    : '';
  writeFileSync(
    join(conf, 'nginx.conf'),
    `${brotli}worker_processes ${options.workers ?? 1};
daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs', 'error.log')} notice;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  log_format edge escape=json '{"at":$msec,"method":"$request_method","uri":"$uri","status":$status,"upstream":"$upstream_addr","upstreamStatus":"$upstream_status","testId":"$http_x_test_id","requestTime":$request_time}';
  access_log ${join(prefix, 'logs', 'access.log')} edge;
  include souk.conf;
}
`,
  );
  const args = ['-p', prefix, '-c', join(conf, 'nginx.conf')];
  const check = spawnSync(NGINX, ['-t', ...args], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`);

  const child = spawn(NGINX, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
      try {
        await (await fetch(`${baseUrl}/index.html`, { signal: AbortSignal.timeout(1_000) })).arrayBuffer();
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs: 20_000, what: 'nginx to listen' },
  );
  const errorLog = () => readFileSync(join(prefix, 'logs', 'error.log'), 'utf8');
  return {
    port,
    baseUrl,
    prefix,
    async setUpstreams(ports) {
      writeUpstreams(ports);
      const check = spawnSync(NGINX, ['-t', ...args], { encoding: 'utf8' });
      if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`);
      const before = errorLog().length;
      child.kill('SIGHUP');
      // The master logs this once the new workers run with the new configuration.
      await waitUntil(() => /reconfiguring|start worker process/.test(errorLog().slice(before)), {
        timeoutMs: 10_000,
        what: 'nginx to reload',
      });
    },
    accessLog() {
      return readFileSync(join(prefix, 'logs', 'access.log'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const parsed = JSON.parse(line) as EdgeLogLine;
          return { ...parsed, at: Math.round(parsed.at * 1000) };
        });
    },
    errorLog,
    async stop() {
      if (child.exitCode !== null) return;
      // SIGQUIT: graceful shutdown (SIGTERM is nginx's fast one).
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      running.delete(child);
    },
  };
}
