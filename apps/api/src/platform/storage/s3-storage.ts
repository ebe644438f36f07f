import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { assertStorageKey, IMMUTABLE_CACHE_CONTROL, type Storage } from './storage.js';

export type S3StorageOptions = {
  bucket: string;
  region: string;
  /** Another S3-compatible service (MinIO, R2, B2...); unset means AWS. */
  endpoint?: string | undefined;
  /** Unset: the AWS SDK's usual credential sources (environment, profile, IAM role). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Base URL the objects are served from (a CDN, or the bucket itself). */
  publicUrl?: string | undefined;
  forcePathStyle?: boolean | undefined;
};

export type S3Storage = Storage & {
  readonly kind: 's3';
  readonly bucket: string;
  /** Where `url(key)` points: `<publicUrl>/<key>`. */
  readonly publicUrl: string;
  /** Closes the client's connections. */
  close(): void;
};

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/** The bucket's own address when no public URL is configured. */
export function defaultPublicUrl(options: Pick<S3StorageOptions, 'bucket' | 'region' | 'endpoint'>): string {
  if (options.endpoint) return `${withoutTrailingSlash(options.endpoint)}/${options.bucket}`;
  return `https://${options.bucket}.s3.${options.region}.amazonaws.com`;
}

/**
 * Objects in an S3-compatible bucket. Objects are written with a year of immutable caching (keys
 * are never reused) and their content type; they are read by browsers straight from the bucket
 * or a CDN in front of it, so the bucket (or the CDN) must allow public reads of them.
 */
export function createS3Storage(options: S3StorageOptions): S3Storage {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.accessKeyId && options.secretAccessKey
      ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
      : {}),
    // The SDK's default CRC32 checksum headers are refused by several S3-compatible services;
    // send and check them only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const publicUrl = withoutTrailingSlash(options.publicUrl ?? defaultPublicUrl(options));

  return {
    kind: 's3',
    bucket: options.bucket,
    publicUrl,
    async put(key, bytes, contentType) {
      assertStorageKey(key);
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: contentType,
          CacheControl: IMMUTABLE_CACHE_CONTROL,
        }),
      );
    },
    async delete(key) {
      assertStorageKey(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: key }));
      } catch (error) {
        // S3 answers 204 for a missing key; some compatible services answer 404.
        if ((error as { name?: string }).name === 'NoSuchKey') return;
        throw error;
      }
    },
    url(key) {
      assertStorageKey(key);
      return `${publicUrl}/${key}`;
    },
    close() {
      client.destroy();
    },
  };
}
