import {
  decodeImage,
  type ImageLimits,
  ImageRejectedError,
  type ImageRejection,
  inspectImage,
  openImage,
} from '../../platform/images/index.js';
import { type UsersErrorCode, usersError } from './users.errors.js';

export const AVATAR_SIZE = 512;
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
/** 30 megapixels: a 6000x4000 camera photo passes, a decompression bomb does not. */
export const AVATAR_MAX_PIXELS = 30_000_000;

const limits: ImageLimits = { maxBytes: AVATAR_MAX_BYTES, maxPixels: AVATAR_MAX_PIXELS };

const codeOf: Record<ImageRejection, UsersErrorCode> = {
  empty: 'avatar_missing',
  too_many_bytes: 'image_too_large',
  unsupported: 'unsupported_image',
  too_many_pixels: 'image_too_large',
  bad_dimensions: 'invalid_image',
  undecodable: 'invalid_image',
};

/**
 * Checks an upload by its bytes and re-encodes it as a square WebP. Nothing of the original
 * file survives: sharp writes no EXIF, GPS, XMP or ICC metadata unless asked to.
 */
export async function toAvatarWebp(bytes: Buffer): Promise<Buffer> {
  try {
    await inspectImage(bytes, limits);
    return await decodeImage(() =>
      openImage(bytes, limits)
        .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'attention' })
        .webp({ quality: 82 })
        .toBuffer(),
    );
  } catch (error) {
    if (error instanceof ImageRejectedError) throw usersError(codeOf[error.reason], error.message);
    throw error;
  }
}
