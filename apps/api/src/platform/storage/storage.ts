/**
 * Where uploaded files live. The local disk is the embedded default; an S3-compatible object
 * store implements the same shape for production. Keys are relative paths such as
 * `avatars/<userId>/<uuid>.webp`; an object never changes once written (a new version gets a
 * new key), so it may be cached forever.
 */
export type Storage = {
  readonly kind: 'local' | 's3';
  /** Writes the object at `key`, replacing any object there. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Removes the object; a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** The public address of the object: `/media/<key>` locally, the bucket or CDN URL on S3. */
  url(key: string): string;
};

/** Every stored object is immutable: a year of caching, never revalidated. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Refuses keys that could leave the root (`..`, absolute paths, backslashes) or hide (dotfiles). */
export function assertStorageKey(key: string): void {
  if (key.length === 0 || key.length > 500 || !KEY_PATTERN.test(key) || key.split('/').includes('..')) {
    throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  }
}
