import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createStorage } from './create-storage.js';
import { createS3Storage, type S3Storage } from './s3-storage.js';

type S3rverServer = { run(): Promise<AddressInfo>; close(): Promise<void> };
type S3rverClass = new (options: object) => S3rverServer;

const bucket = 'souk-test';
const directory = mkdtempSync(join(tmpdir(), 'souk-s3rver-'));
let server: S3rverServer;
let endpoint: string;
let storage: S3Storage;

// A real S3-compatible server (s3rver: S3's REST API over files) on 127.0.0.1 and a random port.
beforeAll(async () => {
  // @ts-expect-error s3rver ships no type declarations; the little used here is typed above.
  const { default: S3rver } = (await import('s3rver')) as { default: S3rverClass };
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  storage = createS3Storage({
    bucket,
    region: 'us-east-1',
    endpoint,
    // s3rver's built-in account.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
});
afterAll(async () => {
  storage?.close();
  await server?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('S3 storage', () => {
  it('writes an object that its public URL serves with its type and a year of immutable caching', async () => {
    const key = 'listing-images/0190a1b2-c3d4-7000-8000-000000000001/320.webp';
    const bytes = Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 fake image bytes');
    await storage.put(key, bytes, 'image/webp');

    const url = storage.url(key);
    expect(url).toBe(`${endpoint}/${bucket}/${key}`);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('replaces an object written again under the same key', async () => {
    const key = 'avatars/u1/a.webp';
    await storage.put(key, Buffer.from('first'), 'image/webp');
    await storage.put(key, Buffer.from('second'), 'image/png');
    const response = await fetch(storage.url(key));
    expect(await response.text()).toBe('second');
    expect(response.headers.get('content-type')).toBe('image/png');
  });

  it('deletes an object, and deleting a missing one is not an error', async () => {
    const key = 'avatars/u2/gone.webp';
    await storage.put(key, Buffer.from('bytes'), 'image/webp');
    expect((await fetch(storage.url(key))).status).toBe(200);
    await storage.delete(key);
    expect((await fetch(storage.url(key))).status).toBe(404);
    await expect(storage.delete(key)).resolves.toBeUndefined();
    await expect(storage.delete('never/written.webp')).resolves.toBeUndefined();
  });

  it.each(['../outside.txt', '/etc/passwd', 'a//b', '.env', 'a b.webp'])(
    'refuses the key %j',
    async (key) => {
      await expect(storage.put(key, Buffer.from('x'), 'text/plain')).rejects.toThrow(/invalid storage key/);
      await expect(storage.delete(key)).rejects.toThrow(/invalid storage key/);
      expect(() => storage.url(key)).toThrow(/invalid storage key/);
    },
  );

  it('fails loudly when the bucket does not exist', async () => {
    const missing = createS3Storage({
      bucket: 'no-such-bucket',
      region: 'us-east-1',
      endpoint,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
    await expect(missing.put('a/b.webp', Buffer.from('x'), 'image/webp')).rejects.toThrow();
    missing.close();
  });
});

describe('createStorage', () => {
  it('uses the local disk under DATA_DIR/media unless S3_BUCKET is set', async () => {
    const local = await createStorage(loadConfig({ DATA_DIR: directory }));
    expect(local.kind).toBe('local');
    expect(local.kind === 'local' && local.rootDir).toBe(join(directory, 'media'));
    expect(local.url('a/b.webp')).toBe('/media/a/b.webp');
  });

  it('uses S3 when S3_BUCKET is set, with the bucket URL or S3_PUBLIC_URL as the base of URLs', async () => {
    const s3 = await createStorage(
      loadConfig({
        S3_BUCKET: bucket,
        S3_ENDPOINT: `${endpoint}/`,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_FORCE_PATH_STYLE: 'true',
      }),
    );
    expect(s3.kind).toBe('s3');
    expect(s3.url('a/b.webp')).toBe(`${endpoint}/${bucket}/a/b.webp`);
    await s3.put('config/check.webp', Buffer.from('via config'), 'image/webp');
    expect(await (await fetch(s3.url('config/check.webp'))).text()).toBe('via config');
    if (s3.kind === 's3') s3.close();

    const cdn = await createStorage(
      loadConfig({ S3_BUCKET: bucket, S3_PUBLIC_URL: 'https://cdn.example.com/souk/' }),
    );
    expect(cdn.url('a/b.webp')).toBe('https://cdn.example.com/souk/a/b.webp');
    const aws = await createStorage(loadConfig({ S3_BUCKET: bucket, S3_REGION: 'eu-west-1' }));
    expect(aws.url('a/b.webp')).toBe(`https://${bucket}.s3.eu-west-1.amazonaws.com/a/b.webp`);
    for (const storage of [cdn, aws]) if (storage.kind === 's3') storage.close();
  });

  it('refuses half a key pair', () => {
    expect(() => loadConfig({ S3_BUCKET: bucket, S3_ACCESS_KEY_ID: 'only-the-id' })).toThrow(
      /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together/,
    );
  });
});
