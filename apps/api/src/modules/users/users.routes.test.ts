import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocationNode, Preferences, UserExport, UserProfile } from '@souk/contracts';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/http/context.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';

// Avatars are real files: each run gets its own DATA_DIR.
const dataDir = mkdtempSync(join(tmpdir(), 'souk-users-'));
let t: TestApp;
let mediaDir: string;
let admin: TestUser;
let location: LocationNode;

beforeAll(async () => {
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  if (t.platform.storage.kind !== 'local') throw new Error('these tests read files on the local disk');
  mediaDir = t.platform.storage.rootDir;
  admin = await t.signUp({ role: 'admin' });
  await t.app.modules.catalog.seedDemoData();
  const countries = (await t.app.modules.catalog.service.getLocations(systemContext(), { country: 'LK' }))
    .items;
  location = countries[0]?.children[0]?.children[0] ?? (countries[0] as LocationNode);
});
afterAll(async () => {
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Headers = Record<string, string>;

const getProfile = (id: string, who: TestUser | null = null, headers?: Headers) =>
  t.call('GET', `/users/${id}`, who, undefined, headers);

/** A multipart/form-data body with the given file parts. */
function multipart(files: { data: Buffer; filename?: string; type?: string; field?: string }[]) {
  const boundary = `----souk${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename ?? 'avatar.jpg'}"\r\n` +
          `Content-Type: ${file.type ?? 'image/jpeg'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function uploadAvatar(id: string, who: TestUser | null, files: Parameters<typeof multipart>[0]) {
  const body = multipart(files);
  return t.call('POST', `/users/${id}/avatar`, who, body.payload, { 'content-type': body.contentType });
}

/** Half red, half blue, so a rotation shows. */
const photo = (width = 800, height = 600) =>
  sharp({ create: { width: width / 2, height, channels: 3, background: '#ff0000' } }).extend({
    right: width / 2,
    background: '#0000ff',
  });

async function pixel(image: Buffer, x: number, y: number) {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [data[offset], data[offset + 1], data[offset + 2]] as number[];
}

function expectProblem(response: { statusCode: number; json(): unknown }, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  expect(response.json()).toMatchObject({ status, code });
}

describe('GET /users/:id', () => {
  let owner: TestUser;
  let other: TestUser;
  beforeAll(async () => {
    owner = await t.signUp({ displayName: 'Amaya Perera', verified: false });
    other = await t.signUp();
    await t.call('PATCH', `/users/${owner.userId}`, owner, {
      phone: '+94771234567',
      bio: 'Sells bikes.',
    });
  });

  it('shows the public profile to anyone, without the private fields', async () => {
    const response = await getProfile(owner.userId);
    expect(response.statusCode).toBe(200);
    const body = response.json() as UserProfile;
    expect(body).toMatchObject({
      id: owner.userId,
      displayName: 'Amaya Perera',
      avatarUrl: null,
      bio: 'Sells bikes.',
      location: null,
      sellerRating: { average: null, count: 0 },
      seller: null,
    });
    expect(Date.parse(body.memberSince)).toBeGreaterThan(Date.now() - 3_600_000);
    expect(body.badges).toEqual(['phone_added']);
    expect(body).not.toHaveProperty('email');
    expect(body).not.toHaveProperty('phone');
    expect(response.body).not.toContain(owner.email);
    expect(response.body).not.toContain('+94771234567');
  });

  it('hides the private fields from another signed-in member', async () => {
    const response = await getProfile(owner.userId, other);
    expect(response.statusCode).toBe(200);
    expect(response.json()).not.toHaveProperty('email');
    expect(response.json()).not.toHaveProperty('phone');
    expect(response.body).not.toContain(owner.email);
  });

  it('shows the private fields to the owner, also as `me`', async () => {
    for (const id of [owner.userId, 'me']) {
      const response = await getProfile(id, owner);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: owner.userId, email: owner.email, phone: '+94771234567' });
      expect(response.headers['cache-control']).toBe('private, no-store');
    }
  });

  it('shows the private fields to an admin', async () => {
    const response = await getProfile(owner.userId, admin);
    expect(response.json()).toMatchObject({ email: owner.email, phone: '+94771234567' });
  });

  it('gives the badges an admin account earns: verified e-mail', async () => {
    const response = await getProfile(admin.userId);
    expect(response.json().badges).toEqual(['email_verified']);
  });

  it('answers 404 for an unknown user, 400 for a malformed id, 401 for an anonymous `me`', async () => {
    expectProblem(await getProfile('0190a7b2-0000-7000-8000-000000000000'), 404, 'user_not_found');
    const malformed = await getProfile('not-a-uuid');
    expectProblem(malformed, 400, 'validation_failed');
    expect(malformed.json().errors[0].path).toBe('params.id');
    expectProblem(await getProfile('me'), 401, 'unauthenticated');
  });
});

describe('PATCH /users/:id', () => {
  let owner: TestUser;
  let other: TestUser;
  beforeAll(async () => {
    owner = await t.signUp({ displayName: 'Nimal', verified: false });
    other = await t.signUp();
  });

  it('changes display name, bio, phone and location for the owner', async () => {
    const response = await t.call('PATCH', '/users/me', owner, {
      displayName: '  Nimal Silva ',
      bio: 'Cars and parts.',
      phone: '+94712345678',
      locationId: location.id,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: owner.userId,
      displayName: 'Nimal Silva',
      bio: 'Cars and parts.',
      phone: '+94712345678',
      email: owner.email,
      location: { id: location.id, name: location.name, countryCode: 'LK' },
    });
    expect(response.json().badges).toContain('phone_added');
    const reread = (await getProfile(owner.userId)).json();
    expect(reread).toMatchObject({ displayName: 'Nimal Silva', location: { id: location.id } });
  });

  it('clears fields with null', async () => {
    const response = await t.call('PATCH', '/users/me', owner, {
      bio: null,
      locationId: null,
      phone: null,
    });
    expect(response.json()).toMatchObject({ bio: null, location: null, phone: null });
    expect(response.json().badges).not.toContain('phone_added');
  });

  it('ignores role, emailVerified, status and other unknown fields (mass assignment)', async () => {
    const response = await t.call('PATCH', `/users/${owner.userId}`, owner, {
      displayName: 'Still a member',
      role: 'admin',
      emailVerified: true,
      emailVerifiedAt: new Date().toISOString(),
      status: 'active',
      id: admin.userId,
      userId: admin.userId,
      email: 'attacker@example.test',
      badges: ['email_verified', 'seller', 'two_factor'],
      memberSince: '2000-01-01T00:00:00Z',
      sellerRating: { average: 5, count: 1000 },
      avatarKey: '../../etc/passwd',
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as UserProfile;
    expect(body).toMatchObject({
      id: owner.userId,
      displayName: 'Still a member',
      email: owner.email,
      avatarUrl: null,
    });
    expect(body.badges).toEqual([]);
    expect(body.sellerRating).toEqual({ average: null, count: 0 });
    expect(Date.parse(body.memberSince)).toBeGreaterThan(Date.parse('2020-01-01'));
    // The account itself is untouched: still an unverified member who cannot do admin things.
    const session = await t.call('GET', '/auth/session', owner);
    expect(session.json().user).toMatchObject({ role: 'member', emailVerified: false, email: owner.email });
    expectProblem(
      await t.call('POST', '/categories', owner, { name: 'Hacked', slug: 'hacked' }),
      403,
      'forbidden',
    );
    expect((await getProfile(admin.userId)).json().displayName).not.toBe('Still a member');
  });

  it('refuses another member with 403 and changes nothing', async () => {
    const before = (await getProfile(owner.userId, admin)).json();
    const response = await t.call('PATCH', `/users/${owner.userId}`, other, {
      displayName: 'Hijacked',
      bio: 'pwned',
    });
    expectProblem(response, 403, 'forbidden');
    expect(response.body).not.toContain(owner.email);
    expect((await getProfile(owner.userId, admin)).json()).toEqual(before);
  });

  it('refuses anonymous callers with 401', async () => {
    expectProblem(
      await t.call('PATCH', `/users/${owner.userId}`, null, { displayName: 'Anon' }),
      401,
      'unauthenticated',
    );
  });

  it('lets an admin edit any profile', async () => {
    const response = await t.call('PATCH', `/users/${owner.userId}`, admin, {
      bio: 'Edited by an admin.',
    });
    expect(response.statusCode).toBe(200);
    expect((await getProfile(owner.userId)).json().bio).toBe('Edited by an admin.');
  });

  it.each([
    ['a number as display name', { displayName: 42 }, 'body.displayName'],
    ['an empty display name', { displayName: '   ' }, 'body.displayName'],
    ['a display name over 60 characters', { displayName: 'x'.repeat(61) }, 'body.displayName'],
    ['a bio over 1000 characters', { bio: 'x'.repeat(1001) }, 'body.bio'],
    ['a bio that is an object', { bio: { text: 'hi' } }, 'body.bio'],
    ['a phone number without country code', { phone: '0771234567' }, 'body.phone'],
    ['a phone number with letters', { phone: '+94 77 CALL ME' }, 'body.phone'],
    ['a malformed location id', { locationId: 'colombo' }, 'body.locationId'],
  ])('refuses %s with 400 and a field error, changing nothing', async (_name, body, path) => {
    const before = (await getProfile(owner.userId, owner)).json();
    const response = await t.call('PATCH', `/users/${owner.userId}`, owner, {
      bio: 'Should not land',
      ...body,
    });
    expectProblem(response, 400, 'validation_failed');
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors.map((error: { path: string }) => error.path)).toContain(path);
    expect((await getProfile(owner.userId, owner)).json()).toEqual(before);
  });

  it('refuses an unknown location id with 400 and a field error, changing nothing', async () => {
    const before = (await getProfile(owner.userId, owner)).json();
    const response = await t.call('PATCH', `/users/${owner.userId}`, owner, {
      bio: 'Should not land',
      locationId: '0190a7b2-0000-7000-8000-000000000001',
    });
    expectProblem(response, 400, 'unknown_location');
    expect(response.json().errors).toEqual([{ path: 'body.locationId', message: 'is not a known location' }]);
    expect((await getProfile(owner.userId, owner)).json()).toEqual(before);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${owner.userId}`,
      headers: { ...owner.headers, 'content-type': 'application/json' },
      payload: '{"bio": ',
    });
    expectProblem(response, 400, 'invalid_json');
  });
});

describe('avatars', () => {
  let owner: TestUser;
  let other: TestUser;
  beforeAll(async () => {
    owner = await t.signUp();
    other = await t.signUp();
  });

  const storedFiles = (userId: string) => {
    const dir = join(mediaDir, 'avatars', userId);
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  it('re-encodes a JPEG as a 512x512 WebP without EXIF or GPS, upright by its orientation', async () => {
    const jpeg = await photo(800, 600)
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({
        IFD0: { Artist: 'Amaya Perera', Copyright: 'secret-owner-name' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '6/1 55/1 3000/100',
          GPSLongitudeRef: 'E',
          GPSLongitude: '79/1 51/1 0/1',
        },
      })
      .toBuffer();
    const original = await sharp(jpeg).metadata();
    expect(original.exif).toBeDefined();
    expect(original.orientation).toBe(6);

    const response = await uploadAvatar('me', owner, [{ data: jpeg, filename: 'me.jpg' }]);
    expect(response.statusCode).toBe(200);
    const { avatarUrl } = response.json() as { avatarUrl: string };
    expect(avatarUrl).toMatch(new RegExp(`^/media/avatars/${owner.userId}/[0-9a-f-]{36}\\.webp$`));

    const file = await t.app.inject({ method: 'GET', url: avatarUrl });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/webp');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const stored = file.rawPayload;
    const metadata = await sharp(stored).metadata();
    expect(metadata).toMatchObject({ format: 'webp', width: 512, height: 512 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect(stored.includes('secret-owner-name')).toBe(false);
    expect(stored.includes('Amaya')).toBe(false);
    // Orientation 6 turns the picture a quarter clockwise: its red left half ends up on top.
    const [topRed, , topBlue] = await pixel(stored, 256, 10);
    const [bottomRed, , bottomBlue] = await pixel(stored, 256, 500);
    expect(topRed).toBeGreaterThan(200);
    expect(topBlue).toBeLessThan(60);
    expect(bottomBlue).toBeGreaterThan(200);
    expect(bottomRed).toBeLessThan(60);

    expect((await getProfile(owner.userId)).json().avatarUrl).toBe(avatarUrl);
  });

  it.each([
    ['PNG', (image: Sharp) => image.png(), 'image/png'],
    ['WebP', (image: Sharp) => image.webp(), 'image/webp'],
    ['GIF', (image: Sharp) => image.gif(), 'image/gif'],
    ['AVIF', (image: Sharp) => image.avif(), 'image/avif'],
  ])('accepts a %s and replaces the previous file', async (_name, encode, type) => {
    const before = (await getProfile(owner.userId)).json().avatarUrl as string;
    const data = await encode(photo(300, 200)).toBuffer();
    // The name and declared type do not matter; the bytes do.
    const response = await uploadAvatar(owner.userId, owner, [{ data, filename: 'pic.bin', type }]);
    expect(response.statusCode).toBe(200);
    const after = response.json().avatarUrl as string;
    expect(after).not.toBe(before);
    expect(storedFiles(owner.userId)).toEqual([after.split('/').pop()]);
    expect((await t.app.inject({ method: 'GET', url: before })).statusCode).toBe(404);
    expect(
      await sharp((await t.app.inject({ method: 'GET', url: after })).rawPayload).metadata(),
    ).toMatchObject({
      format: 'webp',
      width: 512,
      height: 512,
    });
  });

  describe('refuses bad uploads without changing the avatar', () => {
    let current: string;
    beforeAll(async () => {
      current = (await getProfile(owner.userId)).json().avatarUrl;
    });
    const unchanged = async () => {
      expect((await getProfile(owner.userId)).json().avatarUrl).toBe(current);
      expect(storedFiles(owner.userId)).toEqual([current.split('/').pop()]);
    };

    it('an SVG (415)', async () => {
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script><rect width="100" height="100"/></svg>',
      );
      expectProblem(
        await uploadAvatar('me', owner, [{ data: svg, filename: 'a.jpg' }]),
        415,
        'unsupported_image',
      );
      await unchanged();
    });

    it('a text file named .jpg (415)', async () => {
      const text = Buffer.from('this is not a picture at all, just text pretending to be one\n'.repeat(20));
      expectProblem(
        await uploadAvatar('me', owner, [{ data: text, filename: 'photo.jpg' }]),
        415,
        'unsupported_image',
      );
      await unchanged();
    });

    it('a truncated JPEG (400)', async () => {
      const noisy = await sharp({
        create: {
          width: 400,
          height: 400,
          channels: 3,
          background: '#808080',
          noise: { type: 'gaussian', mean: 128, sigma: 60 },
        },
      })
        .jpeg()
        .toBuffer();
      const truncated = noisy.subarray(0, Math.floor(noisy.length / 2));
      expectProblem(await uploadAvatar('me', owner, [{ data: truncated }]), 400, 'invalid_image');
      await unchanged();
    });

    it('a 6000x6000 pixel bomb (413)', async () => {
      const bomb = await sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#ffffff' } })
        .png({ compressionLevel: 9 })
        .toBuffer();
      expect(bomb.length).toBeLessThan(5 * 1024 * 1024);
      const response = await uploadAvatar('me', owner, [
        { data: bomb, filename: 'bomb.png', type: 'image/png' },
      ]);
      expectProblem(response, 413, 'image_too_large');
      await unchanged();
    });

    it('a file over 5 MB (413)', async () => {
      const big = Buffer.alloc(5 * 1024 * 1024 + 10, 0xff);
      expectProblem(await uploadAvatar('me', owner, [{ data: big }]), 413, 'image_too_large');
      await unchanged();
    });

    it('an empty file or no file (400)', async () => {
      expectProblem(await uploadAvatar('me', owner, [{ data: Buffer.alloc(0) }]), 400, 'avatar_missing');
      expectProblem(await uploadAvatar('me', owner, []), 400, 'avatar_missing');
      await unchanged();
    });

    it('JSON instead of multipart (415)', async () => {
      expectProblem(
        await t.call('POST', '/users/me/avatar', owner, { avatar: 'data:image/png;base64,AAAA' }),
        415,
        'unsupported_media_type',
      );
      await unchanged();
    });

    it('two files (400)', async () => {
      const png = await photo(100, 100).png().toBuffer();
      const response = await uploadAvatar('me', owner, [{ data: png }, { data: png, field: 'second' }]);
      expectProblem(response, 400, 'avatar_missing');
      await unchanged();
    });

    it('raw image bytes instead of multipart (415)', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users/me/avatar',
        headers: { ...owner.headers, 'content-type': 'image/png' },
        payload: await photo(100, 100).png().toBuffer(),
      });
      expectProblem(response, 415, 'unsupported_media_type');
      await unchanged();
    });

    it("another member's upload (403), and an anonymous one (401)", async () => {
      const png = await photo(100, 100).png().toBuffer();
      expectProblem(await uploadAvatar(owner.userId, other, [{ data: png }]), 403, 'forbidden');
      expectProblem(await uploadAvatar(owner.userId, null, [{ data: png }]), 401, 'unauthenticated');
      expectProblem(await t.call('DELETE', `/users/${owner.userId}/avatar`, other), 403, 'forbidden');
      await unchanged();
    });
  });

  it('lets an admin replace a member’s avatar', async () => {
    const png = await photo(100, 100).png().toBuffer();
    const response = await uploadAvatar(other.userId, admin, [{ data: png }]);
    expect(response.statusCode).toBe(200);
    expect((await getProfile(other.userId)).json().avatarUrl).toBe(response.json().avatarUrl);
  });

  it('shows in the signed-in user of the auth module', async () => {
    const session = await t.call('GET', '/auth/session', owner);
    expect(session.json().user.avatarUrl).toBe((await getProfile(owner.userId)).json().avatarUrl);
    expect(session.json().user.avatarUrl).toMatch(/^\/media\/avatars\//);
  });

  it('removes the avatar and its file', async () => {
    const url = (await getProfile(owner.userId)).json().avatarUrl as string;
    const response = await t.call('DELETE', '/users/me/avatar', owner);
    expect(response.statusCode).toBe(204);
    expect((await getProfile(owner.userId)).json().avatarUrl).toBeNull();
    expect(storedFiles(owner.userId)).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    // Removing none is fine too.
    expect((await t.call('DELETE', '/users/me/avatar', owner)).statusCode).toBe(204);
  });
});

describe('seller profile', () => {
  let owner: TestUser;
  let other: TestUser;
  const seller = {
    businessName: 'Perera Cycles',
    description: 'Bicycles and repairs in Kandy.',
    website: 'https://perera-cycles.example',
    openingHours: [
      { day: 'mon', opens: '09:00', closes: '12:30' },
      { day: 'mon', opens: '13:30', closes: '18:00' },
      { day: 'sat', opens: '10:00', closes: '14:00' },
    ],
  };
  beforeAll(async () => {
    owner = await t.signUp();
    other = await t.signUp();
  });

  it('is empty at first', async () => {
    const response = await t.call('GET', `/users/${owner.userId}/seller`, null);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      businessName: null,
      description: null,
      website: null,
      openingHours: [],
    });
  });

  it('is set by the owner, shown to anyone, and earns the seller badge', async () => {
    const response = await t.call('PUT', '/users/me/seller', owner, seller);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(seller);
    expect((await t.call('GET', `/users/${owner.userId}/seller`, null)).json()).toEqual(seller);
    const profile = (await getProfile(owner.userId)).json();
    expect(profile.seller).toEqual(seller);
    expect(profile.badges).toContain('seller');
  });

  it('refuses another member (403) and anonymous callers (401), changing nothing', async () => {
    expectProblem(
      await t.call('PUT', `/users/${owner.userId}/seller`, other, {
        ...seller,
        businessName: 'Scam Ltd',
      }),
      403,
      'forbidden',
    );
    expectProblem(await t.call('PUT', `/users/${owner.userId}/seller`, null, seller), 401, 'unauthenticated');
    expect((await t.call('GET', `/users/${owner.userId}/seller`, null)).json()).toEqual(seller);
  });

  it('lets an admin change it', async () => {
    const response = await t.call('PUT', `/users/${owner.userId}/seller`, admin, {
      ...seller,
      description: null,
    });
    expect(response.json().description).toBeNull();
    await t.call('PUT', `/users/${owner.userId}/seller`, owner, seller);
  });

  it.each([
    ['a javascript: website', { website: 'javascript:alert(1)' }, 'body.website'],
    ['a website that is not a URL', { website: 'perera cycles dot lk' }, 'body.website'],
    ['an ftp website', { website: 'ftp://files.example' }, 'body.website'],
    [
      'an hour of 25',
      { openingHours: [{ day: 'mon', opens: '25:00', closes: '26:00' }] },
      'body.openingHours.0.opens',
    ],
    [
      'an unknown day',
      { openingHours: [{ day: 'funday', opens: '09:00', closes: '10:00' }] },
      'body.openingHours.0.day',
    ],
    [
      'closing before opening',
      { openingHours: [{ day: 'tue', opens: '18:00', closes: '09:00' }] },
      'body.openingHours.0.closes',
    ],
    [
      '22 ranges',
      { openingHours: Array.from({ length: 22 }, () => ({ day: 'wed', opens: '09:00', closes: '10:00' })) },
      'body.openingHours',
    ],
    ['a description over 2000 characters', { description: 'x'.repeat(2001) }, 'body.description'],
    ['an empty business name', { businessName: '' }, 'body.businessName'],
    ['an unknown field', { verified: true }, 'body'],
    ['a missing field', { openingHours: undefined }, 'body.openingHours'],
  ])('refuses %s with 400 and a field error, changing nothing', async (_name, change, path) => {
    const response = await t.call('PUT', '/users/me/seller', owner, {
      ...seller,
      description: 'Should not land',
      ...change,
    });
    expectProblem(response, 400, 'validation_failed');
    expect(response.json().errors.map((error: { path: string }) => error.path)).toContain(path);
    expect((await t.call('GET', `/users/${owner.userId}/seller`, null)).json()).toEqual(seller);
  });
});

describe('preferences', () => {
  let owner: TestUser;
  let other: TestUser;
  beforeAll(async () => {
    owner = await t.signUp();
    other = await t.signUp();
  });

  it('start with the defaults', async () => {
    const response = await t.call('GET', '/users/me/preferences', owner);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ language: 'en', currency: 'LKR', theme: 'system', notifications: {} });
  });

  it('merge what is sent into what is stored, notifications per type', async () => {
    let response = await t.call('PUT', '/users/me/preferences', owner, {
      theme: 'dark',
      notifications: { messages: ['in_app', 'email'], marketing: [] },
    });
    expect(response.statusCode).toBe(200);
    response = await t.call('PUT', `/users/${owner.userId}/preferences`, owner, {
      language: 'si',
      notifications: { offers: ['push'] },
    });
    const expected: Preferences = {
      language: 'si',
      currency: 'LKR',
      theme: 'dark',
      notifications: { messages: ['in_app', 'email'], marketing: [], offers: ['push'] },
    };
    expect(response.json()).toEqual(expected);
    expect((await t.call('GET', '/users/me/preferences', owner)).json()).toEqual(expected);
  });

  it('are the owner’s alone: another member and an admin get 403, anonymous callers 401', async () => {
    expectProblem(await t.call('GET', `/users/${owner.userId}/preferences`, other), 403, 'forbidden');
    expectProblem(await t.call('GET', `/users/${owner.userId}/preferences`, admin), 403, 'forbidden');
    expectProblem(
      await t.call('PUT', `/users/${owner.userId}/preferences`, other, { theme: 'light' }),
      403,
      'forbidden',
    );
    expectProblem(await t.call('GET', '/users/me/preferences', null), 401, 'unauthenticated');
    expect((await t.call('GET', '/users/me/preferences', owner)).json().theme).toBe('dark');
  });

  it.each([
    ['an unknown field', { theme: 'light', fontSize: 20 }, 'body'],
    ['an unknown language', { language: 'xx' }, 'body.language'],
    ['an unknown currency', { currency: 'BTC' }, 'body.currency'],
    ['an unknown theme', { theme: 'neon' }, 'body.theme'],
    ['an unknown notification type', { notifications: { gossip: ['email'] } }, 'body.notifications'],
    ['an unknown channel', { notifications: { messages: ['sms'] } }, 'body.notifications.messages.0'],
    [
      'a channel listed twice',
      { notifications: { messages: ['email', 'email'] } },
      'body.notifications.messages',
    ],
    ['channels that are not a list', { notifications: { messages: 'email' } }, 'body.notifications.messages'],
  ])('refuse %s with 400 and a field error, changing nothing', async (_name, body, path) => {
    const before = (await t.call('GET', '/users/me/preferences', owner)).json();
    const response = await t.call('PUT', '/users/me/preferences', owner, { currency: 'USD', ...body });
    expectProblem(response, 400, 'validation_failed');
    expect(response.json().errors.map((error: { path: string }) => error.path)).toContain(path);
    expect((await t.call('GET', '/users/me/preferences', owner)).json()).toEqual(before);
  });
});

describe('GET /users/:id/stats', () => {
  it('is public and honest: zero counts and no response rate until those modules exist', async () => {
    const member = await t.signUp();
    const response = await t.call('GET', `/users/${member.userId}/stats`, null);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ listings: 0, sales: 0, reviews: 0, responseRate: null });
    expectProblem(
      await t.call('GET', '/users/0190a7b2-0000-7000-8000-000000000002/stats', null),
      404,
      'user_not_found',
    );
  });
});

describe('deactivate', () => {
  it('needs the right password', async () => {
    const member = await t.signUp();
    const missing = await t.call('POST', '/users/me/deactivate', member, {});
    expectProblem(missing, 403, 'wrong_password');
    expect(missing.json().errors).toEqual([{ path: 'body.password', message: 'is required' }]);
    expectProblem(await t.call('POST', '/users/me/deactivate', member), 403, 'wrong_password');
    expectProblem(
      await t.call('POST', '/users/me/deactivate', member, { password: 'not my password' }),
      403,
      'wrong_password',
    );
    expectProblem(
      await t.call('POST', '/users/me/deactivate', member, { password: 42 }),
      400,
      'validation_failed',
    );
    expect((await getProfile(member.userId)).statusCode).toBe(200);
    expect((await t.call('GET', '/auth/session', member)).statusCode).toBe(200);
  });

  it('is the owner’s alone', async () => {
    const member = await t.signUp();
    const other = await t.signUp();
    expectProblem(
      await t.call('POST', `/users/${member.userId}/deactivate`, other, { password: other.password }),
      403,
      'forbidden',
    );
    expectProblem(
      await t.call('POST', `/users/${member.userId}/deactivate`, admin, { password: admin.password }),
      403,
      'forbidden',
    );
    expectProblem(
      await t.call('POST', `/users/${member.userId}/deactivate`, null, { password: 'x' }),
      401,
      'unauthenticated',
    );
    expect((await getProfile(member.userId)).statusCode).toBe(200);
  });

  it('hides the profile, ends every session, and signing in again undoes it', async () => {
    const member = await t.signUp({ displayName: 'Going away' });
    const other = await t.signUp();
    const response = await t.call('POST', '/users/me/deactivate', member, {
      password: member.password,
    });
    expect(response.statusCode).toBe(204);

    expectProblem(await t.call('GET', '/auth/session', member), 401, 'invalid_access_token');
    expectProblem(await getProfile('me', member), 401, 'invalid_access_token');
    expectProblem(
      await t.call('POST', '/auth/refresh', null, { refreshToken: member.refreshToken }),
      401,
      'invalid_refresh_token',
    );

    expectProblem(await getProfile(member.userId), 404, 'user_not_found');
    expectProblem(await getProfile(member.userId, other), 404, 'user_not_found');
    expectProblem(await t.call('GET', `/users/${member.userId}/seller`, null), 404, 'user_not_found');
    expect((await getProfile(member.userId, admin)).json()).toMatchObject({
      displayName: 'Going away',
      email: member.email,
    });

    const login = await t.call('POST', '/auth/login', null, {
      email: member.email,
      password: member.password,
    });
    expect(login.statusCode).toBe(200);
    const headers = { authorization: `Bearer ${login.json().accessToken}` };
    expect((await getProfile('me', null, headers)).json()).toMatchObject({
      id: member.userId,
      email: member.email,
    });
    expect((await getProfile(member.userId)).statusCode).toBe(200);
  });
});

describe('delete', () => {
  it('needs the owner’s password', async () => {
    const member = await t.signUp();
    expectProblem(await t.call('DELETE', '/users/me', member), 403, 'wrong_password');
    expectProblem(await t.call('DELETE', '/users/me', member, { password: 'wrong' }), 403, 'wrong_password');
    expect((await getProfile(member.userId)).statusCode).toBe(200);
  });

  it('is refused to another member and to anonymous callers', async () => {
    const member = await t.signUp();
    const other = await t.signUp();
    expectProblem(
      await t.call('DELETE', `/users/${member.userId}`, other, { password: other.password }),
      403,
      'forbidden',
    );
    expectProblem(await t.call('DELETE', `/users/${member.userId}`, null), 401, 'unauthenticated');
    expect((await getProfile(member.userId)).statusCode).toBe(200);
  });

  it('erases personal data, the avatar file and every session', async () => {
    const member = await t.signUp({ displayName: 'Kasun Fernando' });
    await t.call('PATCH', '/users/me', member, {
      bio: 'Private life',
      phone: '+94770000000',
      locationId: location.id,
    });
    await t.call('PUT', '/users/me/seller', member, {
      businessName: 'Kasun Motors',
      description: 'Used cars',
      website: 'https://kasun.example',
      openingHours: [{ day: 'fri', opens: '08:00', closes: '17:00' }],
    });
    const avatar = await uploadAvatar('me', member, [{ data: await photo(200, 200).png().toBuffer() }]);
    const avatarUrl = avatar.json().avatarUrl as string;

    const response = await t.call('DELETE', '/users/me', member, { password: member.password });
    expect(response.statusCode).toBe(204);

    expectProblem(await getProfile(member.userId), 404, 'user_not_found');
    expectProblem(await getProfile(member.userId, admin), 404, 'user_not_found');
    expectProblem(await t.call('GET', '/auth/session', member), 401, 'invalid_access_token');
    expectProblem(
      await t.call('POST', '/auth/refresh', null, { refreshToken: member.refreshToken }),
      401,
      'invalid_refresh_token',
    );
    expectProblem(
      await t.call('POST', '/auth/login', null, { email: member.email, password: member.password }),
      401,
      'invalid_credentials',
    );
    expect((await t.app.inject({ method: 'GET', url: avatarUrl })).statusCode).toBe(404);

    // What is left of the profile (kept so that future content can point at "Deleted user").
    const summary = await t.app.modules.users.directory.summaryOf(member.userId);
    expect(summary).toEqual({ displayName: 'Deleted user', avatarUrl: null });
    const account = await t.app.modules.auth.service.accounts.get(member.userId);
    expect(account).toMatchObject({ status: 'deleted', email: null, passwordHash: null });
    // The address is free for a new account.
    const again = await t.call('POST', '/auth/register', null, {
      email: member.email,
      password: 'another good password 42',
      displayName: 'New Kasun',
    });
    expect(again.statusCode).toBe(201);
  });

  it('lets an admin delete a member without a password', async () => {
    const member = await t.signUp();
    expect((await t.call('DELETE', `/users/${member.userId}`, admin)).statusCode).toBe(204);
    expectProblem(await getProfile(member.userId), 404, 'user_not_found');
    expectProblem(await t.call('GET', '/auth/session', member), 401, 'invalid_access_token');
  });
});

describe('GET /users/:id/export', () => {
  it('gives the owner everything as a JSON attachment', async () => {
    const member = await t.signUp({ displayName: 'Exporter' });
    await t.call('PATCH', '/users/me', member, {
      bio: 'Mine',
      phone: '+94771112233',
      locationId: location.id,
    });
    await t.call('PUT', '/users/me/preferences', member, { theme: 'light' });
    const response = await t.call('GET', '/users/me/export', member);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="souk-export-${member.userId}.json"`,
    );
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.headers['cache-control']).toBe('private, no-store');
    const data = response.json() as UserExport;
    expect(data.profile).toMatchObject({
      id: member.userId,
      displayName: 'Exporter',
      bio: 'Mine',
      phone: '+94771112233',
      location: { id: location.id, name: location.name },
    });
    expect(data.preferences.theme).toBe('light');
    expect(data.seller).toEqual({ businessName: null, description: null, website: null, openingHours: [] });
    expect(data.account).toMatchObject({
      id: member.userId,
      email: member.email,
      role: 'member',
      status: 'active',
      twoFactorEnabled: false,
    });
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(data.linkedIdentities).toEqual([]);
    expect(response.body).not.toMatch(/passwordHash|argon2|totpSecret|tokenHash/);
  });

  it('is refused to everyone else, admins included', async () => {
    const member = await t.signUp();
    const other = await t.signUp();
    expectProblem(await t.call('GET', `/users/${member.userId}/export`, other), 403, 'forbidden');
    expectProblem(await t.call('GET', `/users/${member.userId}/export`, admin), 403, 'forbidden');
    expectProblem(await t.call('GET', `/users/${member.userId}/export`, null), 401, 'unauthenticated');
  });
});

describe('OpenAPI', () => {
  it('documents every users route with its problems', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const paths = Object.keys(document.paths).filter((path) => path.startsWith('/api/v1/users'));
    expect(paths.sort()).toEqual(
      [
        '/api/v1/users/{id}',
        '/api/v1/users/{id}/avatar',
        '/api/v1/users/{id}/deactivate',
        '/api/v1/users/{id}/export',
        '/api/v1/users/{id}/preferences',
        '/api/v1/users/{id}/seller',
        '/api/v1/users/{id}/stats',
        // Blocking belongs to messaging, under the users path.
        '/api/v1/users/{id}/block',
        '/api/v1/users/me/blocks',
        // A seller's reviews and rating belong to reviews, under the users path.
        '/api/v1/users/{id}/reviews',
        '/api/v1/users/{id}/rating',
        '/api/v1/users/{id}/review-eligibility',
      ].sort(),
    );
    expect(document.paths['/api/v1/users/{id}/avatar'].post.requestBody.content).toHaveProperty(
      'multipart/form-data',
    );
    expect(document.paths['/api/v1/users/{id}'].patch.responses).toHaveProperty('403');
  });
});

describe('media files', () => {
  it('refuses paths outside the media folder', async () => {
    for (const url of [
      '/media/../keys/auth-keys.json',
      '/media/%2e%2e/keys/auth-keys.json',
      '/media/..%2fkeys%2fauth-keys.json',
    ]) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode).not.toBe(200);
      expect(response.body).not.toContain('privateKey');
    }
  });
});
