import type { ListingImage } from '@souk/contracts';
import { useState } from 'react';

type ListingPhotoProps = {
  image: ListingImage;
  alt: string;
  /** The `sizes` attribute: how wide the photo shows, so the browser picks the right variant. */
  sizes: string;
  className?: string;
  /** Off-screen photos wait; the first one on a page loads at once. */
  priority?: boolean;
  fit?: 'cover' | 'contain';
};

export function srcSetOf(image: ListingImage): string {
  return image.variants
    .toSorted((a, b) => a.width - b.width)
    .map((variant) => `${variant.url} ${variant.width}w`)
    .join(', ');
}

/** The smallest variant at least `width` wide, else the largest. */
export function variantUrl(image: ListingImage, width: number): string | undefined {
  const sorted = image.variants.toSorted((a, b) => a.width - b.width);
  return (sorted.find((variant) => variant.width >= width) ?? sorted.at(-1))?.url;
}

/**
 * A listing photo that shows its tiny blurred placeholder at once and fades the real image in over it
 * once loaded. Fills its box: the parent decides the size and aspect ratio.
 */
export function ListingPhoto({
  image,
  alt,
  sizes,
  className = '',
  priority = false,
  fit = 'cover',
}: ListingPhotoProps) {
  const [loaded, setLoaded] = useState(false);
  const objectFit = fit === 'cover' ? 'object-cover' : 'object-contain';
  return (
    <div className={`relative overflow-hidden bg-stone-200 ${className}`}>
      {image.placeholder && (
        <img
          src={image.placeholder}
          alt=""
          aria-hidden="true"
          className="absolute inset-0 size-full scale-110 object-cover blur-lg"
        />
      )}
      <img
        // A cached image may finish before React attaches onLoad; the ref catches that case.
        ref={(element) => {
          if (element?.complete && element.naturalWidth > 0) setLoaded(true);
        }}
        src={variantUrl(image, 800)}
        srcSet={srcSetOf(image)}
        sizes={sizes}
        width={image.width}
        height={image.height}
        alt={alt}
        loading={priority ? 'eager' : 'lazy'}
        decoding="async"
        onLoad={() => setLoaded(true)}
        className={`absolute inset-0 size-full ${objectFit} transition-opacity duration-500 motion-reduce:transition-none ${loaded ? 'opacity-100' : 'opacity-0'}`}
      />
    </div>
  );
}

/** Where a listing without photos would show one. */
export function NoPhoto({ className = '', label = 'No photo yet' }: { className?: string; label?: string }) {
  return (
    <div
      className={`flex flex-col items-center justify-center gap-1 bg-stone-100 text-stone-400 ${className}`}
    >
      <svg
        viewBox="0 0 24 24"
        aria-hidden="true"
        className="size-8"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
      >
        <path d="M3 16.5 8.5 11l4 4 3-3L21 17.5M4.5 19.5h15a1.5 1.5 0 0 0 1.5-1.5V6a1.5 1.5 0 0 0-1.5-1.5h-15A1.5 1.5 0 0 0 3 6v12a1.5 1.5 0 0 0 1.5 1.5ZM15.75 8.25h.01" />
      </svg>
      <span className="text-xs">{label}</span>
    </div>
  );
}
