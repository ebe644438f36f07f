export { type AnyStorage, createStorage, type StorageConfig } from './create-storage.js';
export { createLocalStorage, type LocalStorage } from './local-storage.js';
export { mediaRoutes } from './media.routes.js';
// Types only: the AWS SDK behind the S3 driver loads when S3 is configured (createStorage).
export type { S3Storage, S3StorageOptions } from './s3-storage.js';
export { assertStorageKey, IMMUTABLE_CACHE_CONTROL, type Storage } from './storage.js';
