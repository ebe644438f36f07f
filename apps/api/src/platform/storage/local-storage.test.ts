import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalStorage } from './local-storage.js';
import { mediaRoutes } from './media.routes.js';

const dataDir = mkdtempSync(join(tmpdir(), 'souk-storage-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const storage = createLocalStorage({ rootDir: join(dataDir, 'media') });

describe('local storage', () => {
  it('creates its root, writes, addresses and deletes files', async () => {
    expect(existsSync(storage.rootDir)).toBe(true);
    const key = 'avatars/u1/a.webp';
    await storage.put(key, Buffer.from('first'), 'image/webp');
    await storage.put(key, Buffer.from('second'), 'image/webp');
    expect(readFileSync(join(storage.rootDir, key), 'utf8')).toBe('second');
    // No temporary files are left behind.
    expect(readdirSync(join(storage.rootDir, 'avatars/u1'))).toEqual(['a.webp']);
    expect(storage.url(key)).toBe('/media/avatars/u1/a.webp');
    await storage.delete(key);
    expect(existsSync(join(storage.rootDir, key))).toBe(false);
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it.each([
    '../outside.txt',
    'avatars/../../outside.txt',
    'avatars/..',
    '/etc/passwd',
    'avatars\\..\\x',
    '.hidden',
    'avatars/.env',
    'avatars//x',
    '',
    'a b.webp',
  ])('refuses the key %j', async (key) => {
    await expect(storage.put(key, Buffer.from('x'), 'text/plain')).rejects.toThrow(/invalid storage key/);
    await expect(storage.delete(key)).rejects.toThrow(/invalid storage key/);
    expect(() => storage.url(key)).toThrow(/invalid storage key/);
    expect(existsSync(join(dataDir, 'outside.txt'))).toBe(false);
  });
});

describe('media routes', () => {
  it('serve stored files read-only with long caching and nosniff', async () => {
    await storage.put('avatars/u2/b.webp', Buffer.from('RIFF....WEBP'), 'image/webp');
    const app = Fastify();
    await app.register(mediaRoutes(storage));
    const response = await app.inject({ method: 'GET', url: '/media/avatars/u2/b.webp' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('RIFF....WEBP');
    expect(response.headers['content-type']).toBe('image/webp');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject({ method: 'GET', url: '/media/avatars/u2/missing.webp' })).statusCode).toBe(404);
    // No directory listings.
    const folder = await app.inject({ method: 'GET', url: '/media/avatars/u2/' });
    expect([403, 404]).toContain(folder.statusCode);
    expect(folder.body).not.toContain('b.webp');
    for (const method of ['PUT', 'DELETE', 'POST'] as const) {
      expect((await app.inject({ method, url: '/media/avatars/u2/b.webp' })).statusCode).toBe(404);
    }
    expect(existsSync(join(storage.rootDir, 'avatars/u2/b.webp'))).toBe(true);
    await app.close();
  });
});
