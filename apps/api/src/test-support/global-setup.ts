import type { TestProject } from 'vitest/node';
import { createTemplateDatabase, dropDatabase } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Name of a migrated PostgreSQL database each test file copies, when TEST_DATABASE_URL is set. */
    templateDatabase: string | null;
  }
}

/** With TEST_DATABASE_URL set, migrate once into a template; each test file copies it. */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    project.provide('templateDatabase', null);
    return;
  }
  const template = await createTemplateDatabase(url);
  project.provide('templateDatabase', template);
  return async () => {
    await dropDatabase(url, template);
  };
}
