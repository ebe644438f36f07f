import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { createDatabase } from '../platform/db/database.js';
import { createJobs } from '../platform/jobs.js';
import { createLogger } from '../platform/logger.js';

/** `TEST_DATABASE_URL` with another database name in it. */
export function urlFor(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminClient<T>(baseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a database with every migration and pg-boss's schema applied, to copy per test file. */
export async function createTemplateDatabase(baseUrl: string): Promise<string> {
  const name = `souk_template_${uuidv7().replaceAll('-', '').slice(-12)}`;
  await withAdminClient(baseUrl, (client) => client.query(`create database "${name}"`));
  const database = await createDatabase({ url: urlFor(baseUrl, name), dataDir: 'unused' });
  try {
    await database.migrate();
    const jobs = createJobs({
      executor: database.executor,
      executorFor: database.executorFor,
      logger: createLogger('silent'),
    });
    await jobs.start({ work: false });
    await jobs.stop();
  } finally {
    await database.close();
  }
  return name;
}

export async function copyDatabase(baseUrl: string, template: string): Promise<string> {
  const name = `souk_test_${uuidv7().replaceAll('-', '').slice(-12)}`;
  await withAdminClient(baseUrl, (client) =>
    client.query(`create database "${name}" template "${template}"`),
  );
  return name;
}

export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  await withAdminClient(baseUrl, (client) => client.query(`drop database if exists "${name}" with (force)`));
}
