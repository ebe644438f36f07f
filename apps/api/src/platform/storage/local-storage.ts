import { mkdirSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { assertStorageKey, type Storage } from './storage.js';

export type LocalStorage = Storage & { readonly kind: 'local'; readonly rootDir: string };

/**
 * Files on the local disk under `rootDir` (DATA_DIR/media), served read-only at `/media/` by
 * {@link mediaRoutes}. Fine for one node; several nodes need a shared object store.
 */
export function createLocalStorage(options: { rootDir: string }): LocalStorage {
  const rootDir = resolve(options.rootDir);
  // @fastify/static wants its root to exist when it registers.
  mkdirSync(rootDir, { recursive: true });

  function pathOf(key: string): string {
    assertStorageKey(key);
    const path = resolve(rootDir, key);
    // Belt and braces: the key check already refuses anything that could climb out.
    if (!path.startsWith(rootDir + sep)) throw new Error(`storage key escapes the root: ${key}`);
    return path;
  }

  /** Removes `folder` and its parents up to (not including) the root while they are empty. */
  async function pruneEmptyFolders(folder: string) {
    for (let current = folder; current.startsWith(rootDir + sep); current = dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or gone already): its parents are not empty either
      }
    }
  }

  return {
    kind: 'local',
    rootDir,
    async put(key, bytes, _contentType) {
      const path = pathOf(key);
      try {
        await writeAside(path, bytes);
      } catch (error) {
        // A delete pruned the (then empty) folder between our mkdir and write: once more.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await writeAside(path, bytes);
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await pruneEmptyFolders(dirname(path));
    },
    url(key) {
      assertStorageKey(key);
      return `/media/${key}`;
    },
  };
}

/** Written aside and renamed, so a reader never sees half a file. */
async function writeAside(path: string, bytes: Uint8Array) {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${uuidv7()}.tmp`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
