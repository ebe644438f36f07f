import type { VariantOptions } from '../../platform/images/index.js';

export const MAX_IMAGES_PER_LISTING = 20;
export const IMAGE_MAX_BYTES = 15 * 1024 * 1024;
/** 50 megapixels: any phone or camera photo passes, a decompression bomb does not. */
export const IMAGE_MAX_PIXELS = 50_000_000;
export const VARIANT_WIDTHS = [320, 800, 1600] as const;
/** An unattached image younger than this may be an upload in progress; older ones are removed. */
export const ORPHAN_AGE_MS = 24 * 60 * 60 * 1000;

export const imageOptions: VariantOptions = {
  maxBytes: IMAGE_MAX_BYTES,
  maxPixels: IMAGE_MAX_PIXELS,
  // A 1600 px wide variant of anything longer would pass WebP's 16,383 px limit.
  maxAspectRatio: 8,
  widths: VARIANT_WIDTHS,
  placeholderSize: 20,
};
