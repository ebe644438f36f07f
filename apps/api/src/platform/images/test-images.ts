import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

/**
 * Images for tests, made on the spot: honest photos and the uploads an attacker tries.
 * Used by the tests of the image pipeline, the media module and avatars.
 */

/** Half red (left), half blue (right), so a rotation shows in the pixels. */
export function twoTonePhoto(width = 800, height = 600): Sharp {
  const left = Math.floor(width / 2);
  return sharp({ create: { width: left, height, channels: 3, background: '#ff0000' } }).extend({
    right: width - left,
    background: '#0000ff',
  });
}

/** A JPEG that carries an EXIF orientation and identifying EXIF (owner, GPS position). */
export function jpegWithExif(width: number, height: number, orientation = 6): Promise<Buffer> {
  return twoTonePhoto(width, height)
    .jpeg()
    .withMetadata({ orientation })
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
}

/** The red, green and blue of one pixel of an encoded image. */
export async function pixelAt(image: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [data[offset] ?? -1, data[offset + 1] ?? -1, data[offset + 2] ?? -1];
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid PNG header declaring `width` x `height` RGB pixels, followed by a little compressed
 * data (a couple of rows) and no more: a decompression bomb's header in a few hundred bytes.
 */
export function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const rows = deflateSync(Buffer.alloc(Math.min(2 * (width * 3 + 1), 1_000_000)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', rows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The first half of a noisy JPEG: a valid header, then the data stops. */
export async function truncatedJpeg(): Promise<Buffer> {
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
  return noisy.subarray(0, Math.floor(noisy.length / 2));
}

export const svgWithScript = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(document.cookie)</script>' +
    '<rect width="100" height="100"/></svg>',
);

export const textPretendingToBeJpeg = Buffer.from(
  'this is not a picture at all, just text pretending to be one\n'.repeat(20),
);
