import { join } from 'node:path';
import type { Config } from '../config.js';
import { createLocalStorage, type LocalStorage } from './local-storage.js';
import type { S3Storage } from './s3-storage.js';

/** One of the storage drivers; `kind` tells which (only the local one is served by Souk itself). */
export type AnyStorage = LocalStorage | S3Storage;

export type StorageConfig = Pick<
  Config,
  | 'DATA_DIR'
  | 'S3_BUCKET'
  | 'S3_REGION'
  | 'S3_ENDPOINT'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_PUBLIC_URL'
  | 'S3_FORCE_PATH_STYLE'
>;

/**
 * An S3-compatible bucket when S3_BUCKET is set, else the local disk under DATA_DIR/media. The
 * AWS SDK is loaded only for S3: it costs a quarter of a second at every start otherwise.
 */
export async function createStorage(config: StorageConfig): Promise<AnyStorage> {
  if (!config.S3_BUCKET) return createLocalStorage({ rootDir: join(config.DATA_DIR, 'media') });
  const { createS3Storage } = await import('./s3-storage.js');
  return createS3Storage({
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    publicUrl: config.S3_PUBLIC_URL,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
}
