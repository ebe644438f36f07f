import { type App, buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { systemContext } from '../../src/platform/http/context.js';
import { createPlatform } from '../../src/platform/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { listingFixtures } from '../../src/test-support/listing-fixtures.js';
import type { TestApp, TestUser } from '../../src/test-support/test-app.js';
import { baseEnv } from './souk.js';

export type Member = { userId: string; token: string };

/** What the write load needs: members with long-lived tokens, and listings to message about. */
export type Fixtures = { seller: Member; buyers: Member[]; listingIds: string[] };

/**
 * Migrates the cluster's database and creates a seller with published listings and verified
 * buyers, in this process (an app over the same DATA_DIR, so the spawned nodes accept its tokens).
 */
export async function createFixtures(options: {
  databaseUrl: string;
  dataDir: string;
  buyers: number;
  listings: number;
}): Promise<Fixtures> {
  const config = loadConfig({
    ...baseEnv,
    LOG_LEVEL: 'silent',
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: options.dataDir,
  });
  const platform = await createPlatform(config, { logger: createLogger('silent') });
  const app = await buildApp(platform, { webDistDir: null });
  await platform.jobs.start({ work: false });
  await app.ready();
  try {
    const auth = app.modules.auth.service;
    let count = 0;
    const member = async (): Promise<TestUser> => {
      count += 1;
      const email = `faults-${count}@example.test`;
      const password = 'correct horse battery staple';
      // Verified accounts: publishing and a first message need a verified address.
      await auth.ensureAdmin({ email, password, displayName: `Member ${count}` });
      const session = await auth.login(
        systemContext(),
        { email, password },
        { ipAddress: '127.0.0.1', userAgent: 'faults' },
      );
      if (session.status !== 'signed_in') throw new Error('fixture members have no second factor');
      return {
        userId: session.user.id,
        email,
        password,
        accessToken: session.accessToken,
        refreshToken: session.refreshToken,
        headers: { authorization: `Bearer ${session.accessToken}` },
      };
    };
    const asMember = (user: TestUser): Member => ({ userId: user.userId, token: user.accessToken });
    const listings = await listingFixtures({ app });
    const seller = await member();
    const listingIds: string[] = [];
    for (let index = 0; index < options.listings; index++) {
      listingIds.push((await listings.publish(seller, { title: `Fault test car ${index + 1}` })).id);
    }
    const buyers: Member[] = [];
    for (let index = 0; index < options.buyers; index++) buyers.push(asMember(await member()));
    return { seller: asMember(seller), buyers, listingIds };
  } finally {
    await app.close();
    await platform.close();
  }
}
