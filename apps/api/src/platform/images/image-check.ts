import sharp, { type Metadata, type Sharp } from 'sharp';

/** The image formats Souk reads: photos and the usual web formats. Never SVG (it can carry script). */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'heif';

/** Why an upload is not an image Souk takes; each module turns it into its own error code. */
export type ImageRejection =
  /** No bytes at all. */
  | 'empty'
  /** More bytes than the caller allows. */
  | 'too_many_bytes'
  /** Not one of {@link ImageFormat}, whatever its name or declared type says. */
  | 'unsupported'
  /** More pixels than the caller allows, judged from the header before anything is decoded. */
  | 'too_many_pixels'
  /** Dimensions missing, or so long and thin that no variant could be made of it. */
  | 'bad_dimensions'
  /** Truncated or damaged: the header was fine, the pixels are not. */
  | 'undecodable';

export class ImageRejectedError extends Error {
  override name = 'ImageRejectedError';
  constructor(
    readonly reason: ImageRejection,
    message: string,
  ) {
    super(message);
  }
}

export type ImageLimits = {
  maxBytes: number;
  maxPixels: number;
  /** Longest side over shortest side; a 1x5000 strip is refused. */
  maxAspectRatio?: number;
};

export type InspectedImage = {
  format: ImageFormat;
  /** Upright, i.e. after the EXIF orientation is applied. */
  width: number;
  height: number;
};

/** ISO BMFF brands of AVIF and HEIF still images (and sequences, of which the first frame is read). */
const HEIF_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  bytes.length >= offset + signature.length &&
  signature.every((byte, index) => bytes[offset + index] === byte);
const asciiAt = (bytes: Uint8Array, offset: number, length: number) =>
  Buffer.from(bytes.buffer, bytes.byteOffset + offset, length).toString('latin1');

/**
 * The format by the file's magic bytes alone. Anything else (SVG, HTML, PDF, text, archives)
 * never reaches an image decoder.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (bytes.length >= 6 && (asciiAt(bytes, 0, 6) === 'GIF87a' || asciiAt(bytes, 0, 6) === 'GIF89a'))
    return 'gif';
  if (bytes.length >= 12 && asciiAt(bytes, 0, 4) === 'RIFF' && asciiAt(bytes, 8, 4) === 'WEBP') return 'webp';
  if (bytes.length >= 12 && asciiAt(bytes, 4, 4) === 'ftyp' && HEIF_BRANDS.has(asciiAt(bytes, 8, 4)))
    return 'heif';
  return null;
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
const megapixels = (pixels: number) => `${Math.round(pixels / 100_000) / 10} megapixels`;

/**
 * Checks an upload by its bytes and reads its header, never its pixels: the size, the format
 * (magic bytes, then sharp's own reading of the header must agree), and the pixel count, so a
 * decompression bomb is refused before a single row of it is decoded.
 */
export async function inspectImage(bytes: Buffer, limits: ImageLimits): Promise<InspectedImage> {
  if (bytes.length === 0) throw new ImageRejectedError('empty', 'The file is empty.');
  if (bytes.length > limits.maxBytes) {
    throw new ImageRejectedError('too_many_bytes', `The file is larger than ${megabytes(limits.maxBytes)}.`);
  }
  const sniffed = sniffImageFormat(bytes);
  if (!sniffed) {
    throw new ImageRejectedError(
      'unsupported',
      'The file is not a JPEG, PNG, WebP, GIF, AVIF or HEIF image, whatever its name says.',
    );
  }
  let metadata: Metadata;
  try {
    // Headers only. No pixel limit here: the declared size is checked below, with a clear answer.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRejectedError('unsupported', 'The file is not an image Souk can read.');
  }
  if (metadata.format !== sniffed) {
    throw new ImageRejectedError('unsupported', `The file claims to be a ${sniffed} but is not one.`);
  }
  if (metadata.format === 'heif' && metadata.compression === 'hevc') {
    // The libvips that sharp ships decodes AVIF (AV1) but has no HEVC decoder (patents).
    throw new ImageRejectedError(
      'unsupported',
      'HEIC photos cannot be read here; share the photo as JPEG (most phones convert it when uploading).',
    );
  }
  const { width, height } = metadata;
  if (!width || !height) throw new ImageRejectedError('bad_dimensions', 'The image has no dimensions.');
  if (width * height > limits.maxPixels) {
    throw new ImageRejectedError(
      'too_many_pixels',
      `The image is ${width}x${height} pixels; the limit is ${megapixels(limits.maxPixels)}.`,
    );
  }
  if (limits.maxAspectRatio && Math.max(width, height) / Math.min(width, height) > limits.maxAspectRatio) {
    throw new ImageRejectedError(
      'bad_dimensions',
      `The image is ${width}x${height} pixels; its sides may differ at most ${limits.maxAspectRatio} times.`,
    );
  }
  return { format: sniffed, width: metadata.autoOrient.width, height: metadata.autoOrient.height };
}

/**
 * An upload that passed {@link inspectImage}, opened for decoding: upright by its EXIF
 * orientation, the first frame of an animation, the pixel limit enforced again by libvips, and
 * a truncated file an error rather than a grey bottom half. Nothing of the original's metadata
 * (EXIF, GPS, XMP, ICC) is written out unless asked for.
 */
export function openImage(bytes: Buffer, limits: Pick<ImageLimits, 'maxPixels'>): Sharp {
  return sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'truncated', autoOrient: true });
}

/** Runs a decode of an opened image; any failure of it means the file is damaged. */
export async function decodeImage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch {
    throw new ImageRejectedError(
      'undecodable',
      'The image could not be decoded; it may be truncated or damaged.',
    );
  }
}
