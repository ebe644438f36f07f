// `npm start`: builds whatever is missing or older than its sources, then runs Souk (API,
// worker and web app on one port). Reads `.env` when there is one.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const parts = [
  {
    workspace: '@souk/contracts',
    sources: ['packages/contracts/src'],
    output: 'packages/contracts/dist/index.js',
  },
  {
    workspace: '@souk/api',
    sources: ['apps/api/src', 'packages/contracts/src'],
    output: 'apps/api/dist/main.js',
  },
  {
    workspace: '@souk/web',
    sources: ['apps/web/src', 'apps/web/index.html', 'apps/web/public', 'packages/contracts/src'],
    output: 'apps/web/dist/index.html',
  },
];

function newestMtime(path) {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(full).map((name) => newestMtime(join(path, name))));
}

for (const part of parts) {
  const output = join(root, part.output);
  const stale = !existsSync(output) || Math.max(...part.sources.map(newestMtime)) > statSync(output).mtimeMs;
  if (!stale) continue;
  console.log(`building ${part.workspace}…`);
  const build = spawnSync('npm', ['run', 'build', '-w', part.workspace], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const args = [];
if (existsSync(join(root, '.env'))) args.push('--env-file=.env');
args.push('apps/api/dist/main.js');
const server = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
