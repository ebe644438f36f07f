import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ImageRejectedError, inspectImage, sniffImageFormat } from './image-check.js';
import { toWebpVariants, type VariantOptions, variantWidthsFor } from './image-variants.js';
import {
  jpegWithExif,
  pixelAt,
  pngDeclaring,
  svgWithScript,
  textPretendingToBeJpeg,
  truncatedJpeg,
  twoTonePhoto,
} from './test-images.js';

const options: VariantOptions = {
  maxBytes: 15 * 1024 * 1024,
  maxPixels: 50_000_000,
  maxAspectRatio: 8,
  widths: [320, 800, 1600],
  placeholderSize: 20,
};

async function rejection(work: Promise<unknown>): Promise<ImageRejectedError> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ImageRejectedError);
  return error as ImageRejectedError;
}

describe('sniffImageFormat', () => {
  it('knows the accepted formats by their magic bytes', async () => {
    const photo = twoTonePhoto(64, 48);
    expect(sniffImageFormat(await photo.clone().jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageFormat(await photo.clone().png().toBuffer())).toBe('png');
    expect(sniffImageFormat(await photo.clone().gif().toBuffer())).toBe('gif');
    expect(sniffImageFormat(await photo.clone().webp().toBuffer())).toBe('webp');
    expect(sniffImageFormat(await photo.clone().avif().toBuffer())).toBe('heif');
  });

  it('knows nothing else, whatever it is called', () => {
    for (const bytes of [
      svgWithScript,
      textPretendingToBeJpeg,
      Buffer.from('<!doctype html><script>alert(1)</script>'),
      Buffer.from('%PDF-1.7\n'),
      Buffer.from([0x50, 0x4b, 0x03, 0x04]), // zip
      Buffer.from([0xff, 0xd8]), // two bytes of a JPEG
      Buffer.alloc(0),
    ]) {
      expect(sniffImageFormat(bytes)).toBeNull();
    }
  });
});

describe('inspectImage refuses, from the header alone', () => {
  it('a text file named .jpg', async () => {
    expect((await rejection(inspectImage(textPretendingToBeJpeg, options))).reason).toBe('unsupported');
  });

  it('an SVG with a script', async () => {
    expect((await rejection(inspectImage(svgWithScript, options))).reason).toBe('unsupported');
  });

  it('a JPEG signature in front of something else', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), svgWithScript]);
    expect((await rejection(inspectImage(fake, options))).reason).toBe('unsupported');
  });

  it('a PNG declaring 50,000 x 50,000 pixels, in a few hundred bytes and a few milliseconds', async () => {
    const bomb = pngDeclaring(50_000, 50_000);
    expect(bomb.length).toBeLessThan(2000);
    const started = performance.now();
    const error = await rejection(inspectImage(bomb, options));
    expect(error.reason).toBe('too_many_pixels');
    expect(error.message).toBe('The image is 50000x50000 pixels; the limit is 50 megapixels.');
    // Decoding 2.5 gigapixels would take minutes and 7.5 GB; reading a header takes nothing.
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('an empty file, a file over the byte limit, and a strip too long and thin', async () => {
    expect((await rejection(inspectImage(Buffer.alloc(0), options))).reason).toBe('empty');
    const png = await twoTonePhoto(64, 48).png().toBuffer();
    expect((await rejection(inspectImage(png, { ...options, maxBytes: 100 }))).reason).toBe('too_many_bytes');
    const strip = await sharp({ create: { width: 2000, height: 100, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect((await rejection(inspectImage(strip, options))).reason).toBe('bad_dimensions');
  });

  it('lets a truncated JPEG through the header check; decoding refuses it', async () => {
    const truncated = await truncatedJpeg();
    await expect(inspectImage(truncated, options)).resolves.toMatchObject({ format: 'jpeg', width: 400 });
    expect((await rejection(toWebpVariants(truncated, options))).reason).toBe('undecodable');
  });

  it('reports the upright size of a photo taken on its side', async () => {
    const jpeg = await jpegWithExif(1200, 900, 6);
    await expect(inspectImage(jpeg, options)).resolves.toEqual({ format: 'jpeg', width: 900, height: 1200 });
  });
});

describe('toWebpVariants', () => {
  it('makes WebP variants 320, 800 and 1600 px wide of a large photo, and a tiny placeholder', async () => {
    const jpeg = await twoTonePhoto(2400, 1800).jpeg().toBuffer();
    const result = await toWebpVariants(jpeg, options);
    expect(result).toMatchObject({ width: 2400, height: 1800 });
    expect(result.variants.map(({ width, height }) => [width, height])).toEqual([
      [320, 240],
      [800, 600],
      [1600, 1200],
    ]);
    for (const variant of result.variants) {
      expect(await sharp(variant.data).metadata()).toMatchObject({
        format: 'webp',
        width: variant.width,
        height: variant.height,
      });
    }
    expect(result.placeholder).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/]+=*$/);
    const tiny = Buffer.from(result.placeholder.split(',')[1] as string, 'base64');
    expect(await sharp(tiny).metadata()).toMatchObject({ format: 'webp', width: 20, height: 15 });
    expect(result.placeholder.length).toBeLessThan(600);
  });

  it('never upscales: a photo 1000 px wide gets 320 and 800; one 200 px wide only itself', async () => {
    const medium = await toWebpVariants(await twoTonePhoto(1000, 750).png().toBuffer(), options);
    expect(medium.variants.map((variant) => variant.width)).toEqual([320, 800]);
    const small = await toWebpVariants(await twoTonePhoto(200, 150).png().toBuffer(), options);
    expect(small.variants.map((variant) => [variant.width, variant.height])).toEqual([[200, 150]]);
    expect(variantWidthsFor(1600, [1600, 320, 800, 320])).toEqual([320, 800, 1600]);
  });

  it('turns a photo upright by its EXIF orientation and keeps none of its metadata', async () => {
    const jpeg = await jpegWithExif(1200, 900, 6);
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const result = await toWebpVariants(jpeg, options);
    expect(result).toMatchObject({ width: 900, height: 1200 });
    expect(result.variants.map(({ width, height }) => [width, height])).toEqual([
      [320, 427],
      [800, 1067],
    ]);
    const large = result.variants[1]?.data as Buffer;
    const metadata = await sharp(large).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect(large.includes('secret-owner-name')).toBe(false);
    // Orientation 6 turns the picture a quarter clockwise: its red left half ends up on top.
    const [topRed, , topBlue] = await pixelAt(large, 400, 20);
    const [bottomRed, , bottomBlue] = await pixelAt(large, 400, 1040);
    expect(topRed).toBeGreaterThan(200);
    expect(topBlue).toBeLessThan(60);
    expect(bottomBlue).toBeGreaterThan(200);
    expect(bottomRed).toBeLessThan(60);
  });

  it('keeps the first frame of an animated GIF and the transparency of a PNG', async () => {
    // Three 40x40 frames: green, red, blue.
    const frame = (r: number, g: number, b: number) =>
      Buffer.alloc(40 * 40 * 3).map((_, i) => [r, g, b][i % 3] as number);
    const animated = await sharp(Buffer.concat([frame(0, 255, 0), frame(255, 0, 0), frame(0, 0, 255)]), {
      raw: { width: 40, height: 120, channels: 3, pageHeight: 40 },
    })
      .gif({ loop: 0, delay: [100, 100, 100] })
      .toBuffer();
    expect((await sharp(animated).metadata()).pages).toBe(3);
    const gif = await toWebpVariants(animated, options);
    expect(gif).toMatchObject({ width: 40, height: 40 });
    const still = gif.variants[0]?.data as Buffer;
    expect(await sharp(still).metadata()).toMatchObject({ width: 40, height: 40 });
    expect((await sharp(still).metadata()).pages).toBeUndefined();
    const [red, green, blue] = await pixelAt(still, 20, 20);
    expect(green).toBeGreaterThan(200);
    expect(red + blue).toBeLessThan(60);

    const transparent = await sharp({
      create: { width: 400, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const png = await toWebpVariants(transparent, options);
    expect((await sharp(png.variants[0]?.data).metadata()).hasAlpha).toBe(true);
  });

  it('accepts WebP, GIF and AVIF as well', async () => {
    for (const encode of ['webp', 'gif', 'avif'] as const) {
      const bytes = await twoTonePhoto(400, 300)[encode]().toBuffer();
      const result = await toWebpVariants(bytes, options);
      expect(result.variants.map((variant) => variant.width)).toEqual([320]);
    }
  });
});
