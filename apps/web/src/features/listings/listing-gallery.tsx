import type { ListingImage } from '@souk/contracts';
import { useId, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { ListingPhoto, NoPhoto } from './listing-photo';

const GALLERY_SIZES = '(min-width: 1152px) 700px, (min-width: 1024px) 60vw, 100vw';

function Arrow({ direction }: { direction: 'left' | 'right' }) {
  return (
    <svg viewBox="0 0 20 20" aria-hidden="true" className="size-5" fill="currentColor">
      {direction === 'left' ? (
        <path d="M12.8 4.2a.75.75 0 0 1 0 1.06L8.06 10l4.74 4.74a.75.75 0 1 1-1.06 1.06l-5.27-5.27a.75.75 0 0 1 0-1.06l5.27-5.27a.75.75 0 0 1 1.06 0Z" />
      ) : (
        <path d="M7.2 15.8a.75.75 0 0 1 0-1.06L11.94 10 7.2 5.26A.75.75 0 1 1 8.26 4.2l5.27 5.27a.75.75 0 0 1 0 1.06L8.26 15.8a.75.75 0 0 1-1.06 0Z" />
      )}
    </svg>
  );
}

/**
 * The listing's photos in a strip that snaps one photo at a time: swiped on a phone, stepped with the
 * arrow buttons or the thumbnails elsewhere. Placeholders show until each photo has loaded.
 */
export function ListingGallery({ images, title }: { images: readonly ListingImage[]; title: string }) {
  const t = useT();
  const stripRef = useRef<HTMLUListElement>(null);
  const [current, setCurrent] = useState(0);
  const labelId = useId();
  const count = images.length;

  if (count === 0)
    return <NoPhoto className="aspect-4/3 rounded-3xl" label={t('listings.listingGallery.noPhotosYet')} />;

  function show(index: number) {
    const strip = stripRef.current;
    const target = Math.max(0, Math.min(count - 1, index));
    const slide = strip?.children[target] as HTMLElement | undefined;
    if (strip && slide) {
      const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      strip.scrollTo({ left: slide.offsetLeft, behavior: smooth ? 'smooth' : 'auto' });
    }
    setCurrent(target);
  }

  function onScroll() {
    const strip = stripRef.current;
    if (!strip || strip.clientWidth === 0) return;
    const index = Math.round(strip.scrollLeft / strip.clientWidth);
    if (index !== current) setCurrent(Math.max(0, Math.min(count - 1, index)));
  }

  return (
    <section
      aria-roledescription={t('listings.listingGallery.carousel')}
      aria-labelledby={labelId}
      className="relative"
    >
      <h2 id={labelId} className="sr-only">
        <FormattedMessage id="listings.listingGallery.photos" />
      </h2>
      <div className="relative">
        <ul
          ref={stripRef}
          onScroll={onScroll}
          className="flex snap-x snap-mandatory overflow-x-auto overscroll-x-contain rounded-3xl bg-stone-100 [scrollbar-width:none] [&::-webkit-scrollbar]:hidden"
        >
          {images.map((image, index) => (
            <li
              key={image.id}
              aria-roledescription={t('listings.listingGallery.slide')}
              aria-label={t('listings.listingGallery.photo', { value: index + 1, count })}
              className="w-full shrink-0 snap-center snap-always"
            >
              <ListingPhoto
                image={image}
                alt={index === 0 ? title : ''}
                sizes={GALLERY_SIZES}
                priority={index === 0}
                fit="contain"
                className="aspect-4/3 bg-stone-100"
              />
            </li>
          ))}
        </ul>
        {count > 1 && (
          <>
            <button
              type="button"
              onClick={() => show(current - 1)}
              disabled={current === 0}
              className="absolute top-1/2 left-2 hidden -translate-y-1/2 rounded-full bg-black/55 p-2 text-white shadow-md hover:bg-black/70 disabled:opacity-0 sm:block"
            >
              <Arrow direction="left" />
              <span className="sr-only">
                <FormattedMessage id="listings.listingGallery.previousPhoto" />
              </span>
            </button>
            <button
              type="button"
              onClick={() => show(current + 1)}
              disabled={current === count - 1}
              className="absolute top-1/2 right-2 hidden -translate-y-1/2 rounded-full bg-black/55 p-2 text-white shadow-md hover:bg-black/70 disabled:opacity-0 sm:block"
            >
              <Arrow direction="right" />
              <span className="sr-only">
                <FormattedMessage id="listings.listingGallery.nextPhoto" />
              </span>
            </button>
            <p
              aria-live="polite"
              className="absolute right-3 bottom-3 rounded-full bg-black/70 px-2.5 py-1 text-xs font-semibold text-white"
            >
              {current + 1} / {count}
            </p>
          </>
        )}
      </div>
      {count > 1 && (
        <ul className="mt-3 flex gap-2 overflow-x-auto pb-1">
          {images.map((image, index) => (
            <li key={image.id} className="shrink-0">
              <button
                type="button"
                onClick={() => show(index)}
                aria-current={index === current || undefined}
                className={`relative block overflow-hidden rounded-xl border-2 ${index === current ? 'border-brand-600' : 'border-transparent opacity-80 hover:opacity-100'}`}
              >
                <ListingPhoto image={image} alt="" sizes="80px" className="h-14 w-20" />
                <span className="sr-only">
                  <FormattedMessage id="listings.listingGallery.showPhoto" /> {index + 1}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
