import sharp, { type Metadata } from 'sharp';
import { usersError } from './users.errors.js';

export const AVATAR_SIZE = 512;
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
/** 30 megapixels: a 6000x4000 camera photo passes, a decompression bomb does not. */
export const AVATAR_MAX_PIXELS = 30_000_000;

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif']);

/**
 * Checks an upload by its bytes and re-encodes it as a square WebP. Nothing of the original
 * file survives: sharp writes no EXIF, GPS, XMP or ICC metadata unless asked to.
 */
export async function toAvatarWebp(bytes: Buffer): Promise<Buffer> {
  if (bytes.length === 0) throw usersError('avatar_missing', 'The file is empty.');
  if (bytes.length > AVATAR_MAX_BYTES) throw usersError('image_too_large', 'Upload at most 5 MB.');
  let metadata: Metadata;
  try {
    // Reads the header only: a pixel bomb is refused before anything is decoded.
    metadata = await sharp(bytes).metadata();
  } catch {
    throw usersError('unsupported_image', 'The file is not an image Souk can read.');
  }
  if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format)) {
    throw usersError(
      'unsupported_image',
      `A ${metadata.format ?? 'file of unknown type'} is not accepted as an avatar.`,
    );
  }
  const { width, height } = metadata;
  if (!width || !height) throw usersError('invalid_image', 'The image has no dimensions.');
  if (width * height > AVATAR_MAX_PIXELS) {
    throw usersError(
      'image_too_large',
      `The image is ${width}x${height} pixels; the limit is 30 megapixels.`,
    );
  }
  try {
    return await sharp(bytes, { limitInputPixels: AVATAR_MAX_PIXELS, failOn: 'truncated' })
      .rotate() // upright by its EXIF orientation, before that EXIF is dropped
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'attention' })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    throw usersError('invalid_image', 'The image could not be decoded; it may be truncated or damaged.');
  }
}
