import { parseArgs } from 'node:util';
import { buildApp } from '../app.js';
import { loadConfig } from '../platform/config.js';
import { createPlatform } from '../platform/index.js';

/**
 * `npm run admin:create -- --email you@example.com [--name "Your Name"]`, with the password in
 * ADMIN_PASSWORD (so it stays out of the shell history). Creates a verified admin account, or
 * makes an existing account an admin.
 */
const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string', default: 'Admin' } },
});
const email = values.email?.trim().toLowerCase();
const password = process.env.ADMIN_PASSWORD;
if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) {
  console.error(
    'usage: ADMIN_PASSWORD=… npm run admin:create -- --email you@example.com [--name "Your Name"]',
  );
  process.exit(2);
}

const config = loadConfig();
const platform = await createPlatform(config);
try {
  const app = await buildApp(platform, { webDistDir: null });
  await platform.jobs.start({ work: false });
  const outcome = await app.modules.auth.service.ensureAdmin({ email, password, displayName: values.name });
  const messages = {
    created: `created the admin account ${email}`,
    promoted: `${email} is an admin now`,
    unchanged: `${email} was an admin already`,
    missing: `no account ${email}: set ADMIN_PASSWORD (at least 10 characters) to create it`,
  } as const;
  console.log(messages[outcome]);
  await app.close();
  if (outcome === 'missing') process.exitCode = 1;
} catch (error) {
  console.error(`could not create the admin: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await platform.close();
}
