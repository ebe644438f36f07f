import sharp from 'sharp';
import {
  decodeImage,
  type ImageLimits,
  type InspectedImage,
  inspectImage,
  openImage,
} from './image-check.js';

export type WebpVariant = { width: number; height: number; data: Buffer };

export type WebpVariants = {
  /** The upright original's size. */
  width: number;
  height: number;
  /** Narrowest first; never wider than the original. */
  variants: WebpVariant[];
  /** A tiny blurred WebP, `data:image/webp;base64,…`, to show while a variant loads. */
  placeholder: string;
};

export type VariantOptions = ImageLimits & {
  /** Widths to make, e.g. [320, 800, 1600]; those wider than the original are skipped. */
  widths: readonly number[];
  /** The placeholder fits in a square of this side (about 20 px). */
  placeholderSize?: number;
  quality?: number;
};

/**
 * The widths to make of an image `originalWidth` wide: those of `widths` it can fill, or its own
 * width alone when it is narrower than all of them. Never an upscale.
 */
export function variantWidthsFor(originalWidth: number, widths: readonly number[]): number[] {
  const fitting = [...new Set(widths)].filter((width) => width <= originalWidth).sort((a, b) => a - b);
  return fitting.length > 0 ? fitting : [originalWidth];
}

/**
 * Checks an upload ({@link inspectImage}) and re-encodes it as WebP variants plus a blur-up
 * placeholder. The original is decoded once, to the largest variant's size; the smaller ones and
 * the placeholder are made from those pixels. No metadata of the original survives.
 */
export async function toWebpVariants(
  bytes: Buffer,
  options: VariantOptions,
  inspected?: InspectedImage,
): Promise<WebpVariants> {
  const image = inspected ?? (await inspectImage(bytes, options));
  const widths = variantWidthsFor(image.width, options.widths);
  const largest = widths.at(-1) as number;
  const quality = options.quality ?? 80;

  const decoded = await decodeImage(() =>
    openImage(bytes, options)
      .resize({ width: largest, withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true }),
  );
  const { width, height, channels } = decoded.info;
  const pixels = () => sharp(decoded.data, { raw: { width, height, channels } });

  const variants: WebpVariant[] = [];
  for (const variantWidth of widths) {
    const resized = variantWidth === width ? pixels() : pixels().resize({ width: variantWidth });
    const { data, info } = await resized.webp({ quality }).toBuffer({ resolveWithObject: true });
    variants.push({ width: info.width, height: info.height, data });
  }

  const size = options.placeholderSize ?? 20;
  const tiny = await pixels()
    .resize(size, size, { fit: 'inside' })
    .blur(0.6)
    .webp({ quality: 40, alphaQuality: 40 })
    .toBuffer();

  return {
    width: image.width,
    height: image.height,
    variants,
    placeholder: `data:image/webp;base64,${tiny.toString('base64')}`,
  };
}
