import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder } from '../../modules/media/media.test-support.js';
import { listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { twoTonePhoto } from '../images/test-images.js';

let t: TestApp;
let seller: TestUser;
let routes: { name: string; url: string; field: string }[];
let mediaDir: string;

beforeAll(async () => {
  t = await createTestApp();
  const storage = t.platform.storage;
  if (storage.kind !== 'local') throw new Error('these tests read the files on the local disk');
  mediaDir = storage.rootDir;
  seller = await t.signUp();
  const draft = await (await listingFixtures(t)).draft(seller);
  // Every route that takes multipart/form-data (the OpenAPI document says which).
  routes = [
    { name: 'avatar', url: '/api/v1/users/me/avatar', field: 'file' },
    { name: 'listing photos', url: `/api/v1/listings/${draft.id}/images`, field: 'files' },
    { name: 'message photos', url: '/api/v1/messages/images', field: 'files' },
    // A dry run reads the whole file as a real import does, and needs no verified address.
    { name: 'import', url: '/api/v1/imports?dryRun=true', field: 'file' },
  ];
});
afterAll(() => t?.close());

let clients = 0;
const nextAddress = () => {
  clients += 1;
  return `10.9.${Math.floor(clients / 250)}.${(clients % 250) + 1}`;
};

const BOUNDARY = 'souk-boundary-1234';
const partHeader = (field: string, type = 'image/png') =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="photo.png"\r\nContent-Type: ${type}\r\n\r\n`;

/** Malformed bodies, each with the content type it is sent under. */
function malformedBodies(field: string, photo: Buffer): [string, string, Buffer][] {
  const whole = Buffer.concat([
    Buffer.from(partHeader(field)),
    photo,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
  const withBoundary = `multipart/form-data; boundary=${BOUNDARY}`;
  return [
    ['no boundary in the content type', 'multipart/form-data', whole],
    ['an empty boundary', 'multipart/form-data; boundary=', whole],
    ['a body cut short inside the file', withBoundary, whole.subarray(0, whole.length - 200)],
    ['a body cut short inside the part header', withBoundary, Buffer.from(partHeader(field).slice(0, 30))],
    ['no closing boundary', withBoundary, Buffer.concat([Buffer.from(partHeader(field)), photo])],
    ['a boundary the body never uses', 'multipart/form-data; boundary=another-one', whole],
    [
      'a part header that is not one',
      withBoundary,
      Buffer.from(`--${BOUNDARY}\r\n\u0001\u0002 not a header\r\n\r\nxx\r\n--${BOUNDARY}--\r\n`),
    ],
    [
      'a part without a name',
      withBoundary,
      Buffer.from(`--${BOUNDARY}\r\nContent-Type: image/png\r\n\r\nxx\r\n--${BOUNDARY}--\r\n`),
    ],
    [
      'a text field instead of a file',
      withBoundary,
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\nhello\r\n--${BOUNDARY}--\r\n`,
      ),
    ],
    [
      'a file that is not an image or a listings file',
      withBoundary,
      Buffer.from(
        `${partHeader(field, 'application/octet-stream')}\u0000\u0001\u0002\r\n--${BOUNDARY}--\r\n`,
      ),
    ],
    ['garbage', withBoundary, Buffer.from('\u0000\u00ff'.repeat(500), 'latin1')],
  ];
}

describe('malformed multipart bodies', () => {
  it('get a 4xx problem on every upload route, never a 500, and store nothing', async () => {
    const photo = await twoTonePhoto(64, 48).png().toBuffer();
    const before = filesUnder(mediaDir);
    const wrong: string[] = [];
    let answered = 0;
    for (const route of routes) {
      for (const [name, contentType, payload] of malformedBodies(route.field, photo)) {
        // An import takes any file and reports an unreadable one as a failed import.
        if (route.name === 'import' && name.startsWith('a file that is not')) continue;
        const response = await t.app.inject({
          method: 'POST',
          url: route.url,
          headers: { ...seller.headers, 'content-type': contentType },
          payload,
          remoteAddress: nextAddress(),
        });
        answered++;
        const problem = String(response.headers['content-type']).startsWith('application/problem+json');
        if (response.statusCode < 400 || response.statusCode >= 500 || !problem)
          wrong.push(`${route.name}, ${name}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
    expect(answered).toBe(routes.length * 11 - 1);
    expect(wrong).toEqual([]);
    expect(filesUnder(mediaDir)).toEqual(before);
    const imports = await t.app.inject({ method: 'GET', url: '/api/v1/imports', headers: seller.headers });
    expect(imports.json().items).toEqual([]);
  });

  it('no boundary and a truncated body are 400 bad_request problems that say what is wrong', async () => {
    const photo = await twoTonePhoto(64, 48).png().toBuffer();
    for (const route of routes) {
      const [noBoundary, , truncated] = malformedBodies(route.field, photo);
      for (const [name, contentType, payload] of [noBoundary, truncated] as [string, string, Buffer][]) {
        const response = await t.app.inject({
          method: 'POST',
          url: route.url,
          headers: { ...seller.headers, 'content-type': contentType },
          payload,
          remoteAddress: nextAddress(),
        });
        expect(response.statusCode, `${route.name}, ${name}: ${response.body}`).toBe(400);
        const problem = response.json();
        expect(problem.code).toBe('bad_request');
        expect(problem.detail).toMatch(/multipart\/form-data body could not be read/);
      }
    }
  });

  it('a well-formed upload still works on the same routes', async () => {
    const photo = await twoTonePhoto(64, 48).png().toBuffer();
    const body = Buffer.concat([
      Buffer.from(partHeader('files')),
      photo,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    const response = await t.app.inject({
      method: 'POST',
      url: routes[1]?.url as string,
      headers: { ...seller.headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload: body,
      remoteAddress: nextAddress(),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toHaveLength(1);
  });
});
