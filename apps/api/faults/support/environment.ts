import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Cluster, startCluster } from './cluster.js';
import { createFixtures, type Fixtures } from './fixtures.js';
import { type Role, type SoukProcess, startSouk } from './souk.js';

/** The database the nodes use on the throwaway cluster. */
export const DATABASE = 'souk';

/**
 * A throwaway PostgreSQL cluster with a migrated `souk` database and fixtures, a DATA_DIR the
 * nodes share (signing keys), a folder for their logs, and the nodes started so far.
 */
export type FaultEnvironment = {
  readonly cluster: Cluster;
  readonly fixtures: Fixtures;
  readonly dataDir: string;
  /** Logs of every node (`<name>.log`) and of PostgreSQL; kept when a test failed. */
  readonly runDir: string;
  readonly databaseUrl: string;
  /** Starts a node and waits until it is ready. */
  startNode(name: string, role: Role, env?: Record<string, string>): Promise<SoukProcess>;
  /** Stops every node and the cluster; deletes the folders unless `keepLogs`. */
  close(options?: { keepLogs?: boolean }): Promise<void>;
};

export async function startEnvironment(
  options: { buyers?: number; listings?: number; clusterSettings?: Record<string, string> } = {},
): Promise<FaultEnvironment> {
  const runDir = mkdtempSync(join(tmpdir(), 'souk-faults-run-'));
  const dataDir = join(runDir, 'data');
  const cluster = await startCluster({ settings: options.clusterSettings });
  const nodes: SoukProcess[] = [];
  try {
    await cluster.query(`create database ${DATABASE}`);
    const databaseUrl = cluster.url(DATABASE);
    const fixtures = await createFixtures({
      databaseUrl,
      dataDir,
      buyers: options.buyers ?? 8,
      listings: options.listings ?? 4,
    });
    return {
      cluster,
      fixtures,
      dataDir,
      runDir,
      databaseUrl,
      async startNode(name, role, env) {
        const node = await startSouk({ name, role, databaseUrl, dataDir, runDir, env });
        nodes.push(node);
        await node.waitReady();
        return node;
      },
      async close({ keepLogs = false } = {}) {
        await Promise.all(nodes.map((node) => node.stop(10_000)));
        await cluster.destroy();
        if (keepLogs) console.log(`[faults] logs kept in ${runDir}`);
        else rmSync(runDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop(10_000)));
    await cluster.destroy();
    throw error;
  }
}
