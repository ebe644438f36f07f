/**
 * `npm run bench:import`: the import CLI (`npm run import`) over BENCH_ROWS (100,000) generated
 * cars without images, on a throwaway PostgreSQL database and on PGlite. Each engine: load the
 * catalog (`npm run seed -- --listings 0`), import the file (every row created), then import it
 * again (every row unchanged). Prints rows/s and the CLI's peak RSS for each run.
 *
 * BENCH_ROWS (100000) · BENCH_ENGINES (postgres,pglite) · BENCH_DATABASE_URL
 * (postgres://postgres@127.0.0.1:5432/postgres) · BENCH_FORMAT (csv | jsonl)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { writeImportFile } from './import-file.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',').map((engine) => engine.trim());
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const FORMAT = process.env.BENCH_FORMAT === 'jsonl' ? 'jsonl' : 'csv';
const apiDir = fileURLToPath(new URL('../apps/api/', import.meta.url));
const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

type Run = { label: string; rows: number; seconds: number; rate: number; peakMb: number; line: string };

/** Runs an API script as a child; echoes its output; resolves with its last summary line. */
function script(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@souk/source', '--import', 'tsx', `src/scripts/${name}.ts`, ...args],
      { cwd: apiDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let summary = '';
    let tail = '';
    const echo = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split(/\r|\n/)) {
        if (line.includes('rows/s')) summary = line.trim();
      }
      process.stderr.write(text);
    };
    child.stdout.on('data', echo);
    child.stderr.on('data', echo);
    const killer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      if (code === 0) resolve(summary);
      else reject(new Error(`${name} exited with ${code}:\n${tail}`));
    });
  });
}

function parseSummary(label: string, line: string): Run {
  const match = /([\d,]+) rows in ([\d.]+) s \(([\d,]+) rows\/s\), peak RSS (\d+) MB/.exec(line);
  if (!match) throw new Error(`no summary in: ${line}`);
  const number = (text: string) => Number(text.replaceAll(',', ''));
  return {
    label,
    rows: number(match[1] as string),
    seconds: Number(match[2]),
    rate: number(match[3] as string),
    peakMb: Number(match[4]),
    line,
  };
}

const folder = mkdtempSync(join(tmpdir(), 'souk-bench-import-'));
const file = join(folder, `listings.${FORMAT}`);
const results: { engine: string; runs: Run[] }[] = [];
try {
  const started = performance.now();
  await writeImportFile(file, ROWS, { format: FORMAT });
  console.error(
    `generated ${fmt(ROWS)} rows (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB ${FORMAT}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const engine of ENGINES) {
    const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'never', NODE_ENV: 'production' };
    let drop: (() => Promise<void>) | null = null;
    if (engine === 'postgres') {
      const name = `souk_bench_import_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: BASE_URL });
      try {
        await admin.connect();
      } catch (error) {
        console.error(`postgres: skipped (${(error as Error).message})`);
        continue;
      }
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(BASE_URL);
      url.pathname = `/${name}`;
      env.DATABASE_URL = url.toString();
      drop = async () => {
        const client = new pg.Client({ connectionString: BASE_URL });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      };
    } else {
      env.DATA_DIR = join(folder, 'data');
    }
    try {
      console.error(`\n${engine}: loading the catalog`);
      await script('seed', ['--listings', '0'], env);
      const runs: Run[] = [];
      const args = [file, '--seller', 'bench-importer@souk.test', '--create-seller'];
      console.error(`\n${engine}: first import (every row new)`);
      runs.push(parseSummary('first import', await script('import', args, env)));
      console.error(`\n${engine}: the same file again (every row unchanged)`);
      runs.push(parseSummary('same file again', await script('import', args, env)));
      results.push({ engine, runs });
    } finally {
      await drop?.();
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

console.log(`\nimport of ${fmt(ROWS)} rows (${FORMAT}, no images), npm run import, one process:`);
console.log('engine    run               rows      seconds   rows/s    peak RSS');
for (const { engine, runs } of results) {
  for (const run of runs) {
    console.log(
      `${engine.padEnd(10)}${run.label.padEnd(18)}${fmt(run.rows).padStart(8)}${run.seconds.toFixed(1).padStart(10)}${fmt(run.rate).padStart(9)}${`${run.peakMb} MB`.padStart(11)}`,
    );
  }
}
