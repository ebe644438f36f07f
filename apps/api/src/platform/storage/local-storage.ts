import { mkdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
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

  return {
    kind: 'local',
    rootDir,
    async put(key, bytes, _contentType) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Written aside and renamed, so a reader never sees half a file.
      const temporary = join(dirname(path), `.${uuidv7()}.tmp`);
      try {
        await writeFile(temporary, bytes);
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    url(key) {
      assertStorageKey(key);
      return `/media/${key}`;
    },
  };
}
