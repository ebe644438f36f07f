import type { ListingImage } from '@souk/contracts';
import {
  type ChangeEvent,
  type CSSProperties,
  type PointerEvent as ReactPointerEvent,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { FormAlert } from '../../ui/form/form-alert';
import { ListingPhoto } from '../listings/listing-photo';
import { MAX_PHOTOS, uploadListingImages, useImageChanges } from '../listings/listings-queries';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,image/avif,image/heic,image/heif';
const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Pointer travel before a press becomes a drag, so a tap on a tile stays a tap. */
const DRAG_THRESHOLD_PX = 6;

type Upload = {
  key: number;
  files: File[];
  previews: string[];
  progress: number;
  error: string | null;
  controller: AbortController;
};

type FocusAfterMove = { id: string; index: number; direction: 'left' | 'right' };

type Drag = {
  id: string;
  pointerId: number;
  from: number;
  over: number;
  startX: number;
  startY: number;
  x: number;
  y: number;
  active: boolean;
  rects: DOMRect[];
};

function move<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function Icon({ path }: { path: string }) {
  return (
    <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="currentColor">
      <path fillRule="evenodd" d={path} />
    </svg>
  );
}

const ICONS = {
  left: 'M12.8 4.2a.75.75 0 0 1 0 1.06L8.06 10l4.74 4.74a.75.75 0 1 1-1.06 1.06l-5.27-5.27a.75.75 0 0 1 0-1.06l5.27-5.27a.75.75 0 0 1 1.06 0Z',
  right:
    'M7.2 15.8a.75.75 0 0 1 0-1.06L11.94 10 7.2 5.26A.75.75 0 1 1 8.26 4.2l5.27 5.27a.75.75 0 0 1 0 1.06L8.26 15.8a.75.75 0 0 1-1.06 0Z',
  star: 'M10 1.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L10 14.9l-5.2 2.7 1-5.8L1.5 7.7l5.9-.9L10 1.5Z',
  trash:
    'M8.75 1A2.75 2.75 0 0 0 6 3.75v.44c-.8.08-1.57.18-2.34.3a.75.75 0 1 0 .23 1.49l.15-.02.84 10.52A2.75 2.75 0 0 0 7.62 19h4.76a2.75 2.75 0 0 0 2.74-2.52l.84-10.52.15.02a.75.75 0 1 0 .23-1.49A41 41 0 0 0 14 4.19v-.44A2.75 2.75 0 0 0 11.25 1h-2.5ZM10 4c.84 0 1.67.03 2.5.08v-.33c0-.69-.56-1.25-1.25-1.25h-2.5c-.69 0-1.25.56-1.25 1.25v.33C8.33 4.03 9.16 4 10 4Z',
  grip: 'M7 4a1.5 1.5 0 1 1-3 0 1.5 1.5 0 0 1 3 0Zm0 6a1.5 1.5 0 1 1-3 0 1.5 1.5 0 0 1 3 0Zm-1.5 7.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3ZM16 4a1.5 1.5 0 1 1-3 0 1.5 1.5 0 0 1 3 0Zm-1.5 7.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3ZM16 16a1.5 1.5 0 1 1-3 0 1.5 1.5 0 0 1 3 0Z',
};

const tileButton =
  'flex size-9 items-center justify-center rounded-full border border-stone-300 bg-white text-stone-700 hover:border-brand-500 hover:text-brand-700 disabled:cursor-not-allowed disabled:opacity-40';

type PhotosStepProps = {
  listingId: string;
  images: readonly ListingImage[];
  /** So the form can hold the user on this step until the uploads are done. */
  onBusyChange: (busy: boolean) => void;
};

/**
 * Photos: several at once with upload progress, thumbnails that blur in, reorder by dragging (mouse,
 * touch on the grip, or the Move buttons), pick the cover photo, delete. At most 20.
 */
export function PhotosStep({ listingId, images, onBusyChange }: PhotosStepProps) {
  const t = useT();
  const { uploaded, reorder, makePrimary, remove } = useImageChanges(listingId);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [drag, setDrag] = useState<Drag | null>(null);
  const [focusAfterMove, setFocusAfterMove] = useState<FocusAfterMove | null>(null);
  const tileRefs = useRef(new Map<string, HTMLLIElement>());
  const inputRef = useRef<HTMLInputElement>(null);
  const nextKey = useRef(1);
  const hintId = useId();

  const pendingCount = uploads
    .filter((upload) => !upload.error)
    .reduce((sum, upload) => sum + upload.files.length, 0);
  const room = Math.max(0, MAX_PHOTOS - images.length - pendingCount);
  const busy = pendingCount > 0;
  const actionError = reorder.error ?? makePrimary.error ?? remove.error;

  useEffect(() => onBusyChange(busy), [busy, onBusyChange]);

  // Uploads in flight stop when the step goes away; their previews are let go.
  const uploadsRef = useRef(uploads);
  uploadsRef.current = uploads;
  useEffect(
    () => () => {
      for (const upload of uploadsRef.current) {
        upload.controller.abort();
        for (const url of upload.previews) URL.revokeObjectURL(url);
      }
    },
    [],
  );

  // Once the list shows the photo in its new place, focus stays on its move button (or the other
  // one, at either end), so moving a photo several places is several presses of the same key.
  useEffect(() => {
    if (!focusAfterMove) return;
    if (images.findIndex((image) => image.id === focusAfterMove.id) !== focusAfterMove.index) return;
    const tile = tileRefs.current.get(focusAfterMove.id);
    const preferred = tile?.querySelector<HTMLButtonElement>(`[data-move="${focusAfterMove.direction}"]`);
    const other = tile?.querySelector<HTMLButtonElement>(
      `[data-move="${focusAfterMove.direction === 'left' ? 'right' : 'left'}"]`,
    );
    (preferred && !preferred.disabled ? preferred : other)?.focus();
    setFocusAfterMove(null);
  }, [focusAfterMove, images]);

  function start(files: File[]) {
    const upload: Upload = {
      key: nextKey.current++,
      files,
      previews: files.map((file) => URL.createObjectURL(file)),
      progress: 0,
      error: null,
      controller: new AbortController(),
    };
    const patch = (change: Partial<Upload>) =>
      setUploads((current) =>
        current.map((item) => (item.key === upload.key ? { ...item, ...change } : item)),
      );
    setUploads((current) => [...current, upload]);
    uploadListingImages(
      listingId,
      files,
      ({ loaded, total }) => patch({ progress: total > 0 ? Math.round((loaded / total) * 100) : 0 }),
      upload.controller.signal,
    ).then(
      (result) => {
        uploaded(result);
        for (const url of upload.previews) URL.revokeObjectURL(url);
        setUploads((current) => current.filter((item) => item.key !== upload.key));
        setAnnouncement(`${plural(files.length, 'photo')} uploaded.`);
      },
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        patch({ error: describeError(error), progress: 0 });
      },
    );
  }

  function choose(event: ChangeEvent<HTMLInputElement>) {
    const picked = [...(event.target.files ?? [])];
    event.target.value = '';
    if (picked.length === 0) return;
    const problems: string[] = [];
    const images = picked.filter((file) => {
      if (file.type && !file.type.startsWith('image/')) {
        problems.push(`${file.name} is not an image.`);
        return false;
      }
      if (file.size > MAX_FILE_BYTES) {
        problems.push(`${file.name} is larger than 20 MB.`);
        return false;
      }
      return true;
    });
    const taken = images.slice(0, room);
    if (images.length > taken.length) {
      problems.push(
        room === 0
          ? `A listing can have ${MAX_PHOTOS} photos; remove one to add another.`
          : `A listing can have ${MAX_PHOTOS} photos, so only the first ${plural(room, 'one', 'ones')} will be added.`,
      );
    }
    setNotice(problems.length > 0 ? problems.join(' ') : null);
    if (taken.length > 0) start(taken);
  }

  function retry(upload: Upload) {
    for (const url of upload.previews) URL.revokeObjectURL(url);
    setUploads((current) => current.filter((item) => item.key !== upload.key));
    start(upload.files);
  }

  function dismiss(upload: Upload) {
    for (const url of upload.previews) URL.revokeObjectURL(url);
    setUploads((current) => current.filter((item) => item.key !== upload.key));
  }

  function reorderTo(from: number, to: number, announce: boolean) {
    if (from === to || to < 0 || to >= images.length) return;
    const ids = move(
      images.map((image) => image.id),
      from,
      to,
    );
    reorder.mutate(ids);
    if (announce) setAnnouncement(`Photo moved to position ${to + 1} of ${images.length}.`);
  }

  function moveBy(index: number, delta: -1 | 1) {
    const image = images[index];
    if (!image) return;
    reorderTo(index, index + delta, true);
    setFocusAfterMove({ id: image.id, index: index + delta, direction: delta < 0 ? 'left' : 'right' });
  }

  // ---- Drag and drop with pointer events (mouse anywhere on a tile; touch and pen on the grip) ----

  function onPointerDown(event: ReactPointerEvent<HTMLLIElement>, index: number, id: string) {
    if (event.button !== 0 || images.length < 2) return;
    const target = event.target as HTMLElement;
    if (target.closest('button')) return;
    if (event.pointerType !== 'mouse' && !target.closest('[data-drag-handle]')) return;
    const rects = images.map(
      (image) => tileRefs.current.get(image.id)?.getBoundingClientRect() ?? new DOMRect(),
    );
    event.currentTarget.setPointerCapture(event.pointerId);
    setDrag({
      id,
      pointerId: event.pointerId,
      from: index,
      over: index,
      startX: event.clientX,
      startY: event.clientY,
      x: event.clientX,
      y: event.clientY,
      active: false,
      rects,
    });
  }

  function onPointerMove(event: ReactPointerEvent<HTMLLIElement>) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const travelled = Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY);
    const active = drag.active || travelled > DRAG_THRESHOLD_PX;
    let over = drag.over;
    if (active) {
      // The slot under the pointer, else the nearest one (the gaps between tiles count too).
      let best = Number.POSITIVE_INFINITY;
      drag.rects.forEach((rect, slot) => {
        const dx = event.clientX - (rect.left + rect.width / 2);
        const dy = event.clientY - (rect.top + rect.height / 2);
        const distance = Math.hypot(dx, dy);
        if (distance < best) {
          best = distance;
          over = slot;
        }
      });
      event.preventDefault();
    }
    setDrag({ ...drag, x: event.clientX, y: event.clientY, active, over });
  }

  function onPointerUp(event: ReactPointerEvent<HTMLLIElement>) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    if (drag.active && drag.over !== drag.from) {
      reorderTo(drag.from, drag.over, false);
      setAnnouncement(`Photo moved to position ${drag.over + 1} of ${images.length}.`);
    }
    setDrag(null);
  }

  // While dragging, the other photos slide to where they would end up and the dragged one follows
  // the pointer. Only transforms change: the DOM order stays put, so the pointer capture holds.
  const order = drag?.active
    ? move(
        images.map((_, index) => index),
        drag.from,
        drag.over,
      )
    : null;

  function dragStyle(index: number): CSSProperties | undefined {
    if (!drag?.active || !order) return undefined;
    if (index === drag.from) {
      return {
        transform: `translate(${drag.x - drag.startX}px, ${drag.y - drag.startY}px) scale(1.04)`,
        zIndex: 20,
      };
    }
    const slot = drag.rects[order.indexOf(index)];
    const home = drag.rects[index];
    if (!slot || !home) return undefined;
    return { transform: `translate(${slot.left - home.left}px, ${slot.top - home.top}px)` };
  }

  const total = images.length + pendingCount;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-3">
        <label
          className={`inline-flex cursor-pointer items-center gap-2 rounded-full bg-brand-600 px-5 py-2.5 text-sm font-semibold text-white hover:bg-brand-700 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-60 has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500`}
        >
          <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="currentColor">
            <path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" />
          </svg>
          <FormattedMessage id="sell.photosStep.addPhotos" />
          <input
            ref={inputRef}
            type="file"
            multiple
            accept={ACCEPT}
            onChange={choose}
            disabled={room === 0}
            aria-describedby={hintId}
            className="sr-only"
          />
        </label>
        <p id={hintId} className="text-sm text-stone-600">
          <FormattedMessage
            id="sell.photosStep.photosJpegPngWebp"
            values={{ total, maxPhotos: MAX_PHOTOS }}
          />
        </p>
      </div>

      {notice && <FormAlert tone="info">{notice}</FormAlert>}
      {actionError && <FormAlert tone="error">{describeError(actionError)}</FormAlert>}
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>

      {uploads.map((upload) => (
        <div key={upload.key} className="rounded-2xl border border-stone-200 bg-white p-4">
          <div className="flex items-center gap-2 overflow-x-auto">
            {upload.previews.map((url, index) => (
              <img
                key={url}
                src={url}
                alt={t('sell.photosStep.uploading', { value: upload.files[index]?.name ?? 'Photo' })}
                className={`size-14 shrink-0 rounded-lg object-cover ${upload.error ? 'opacity-50' : 'opacity-80'}`}
              />
            ))}
          </div>
          {upload.error ? (
            <div className="mt-3 space-y-2">
              <FormAlert tone="error">
                {plural(upload.files.length, 'photo')}{' '}
                <FormattedMessage id="sell.photosStep.couldNotBeUploaded" values={{ error: upload.error }} />
              </FormAlert>
              <div className="flex gap-2">
                <button
                  type="button"
                  onClick={() => retry(upload)}
                  className="rounded-full border border-stone-300 px-4 py-1.5 text-sm font-semibold hover:border-brand-500"
                >
                  <FormattedMessage id="sell.photosStep.tryAgain" />
                </button>
                <button
                  type="button"
                  onClick={() => dismiss(upload)}
                  className="rounded-full px-4 py-1.5 text-sm font-semibold text-stone-600 hover:text-stone-900"
                >
                  <FormattedMessage id="sell.photosStep.dismiss" />
                </button>
              </div>
            </div>
          ) : (
            <div className="mt-3">
              <div className="flex justify-between text-sm">
                <span className="font-medium text-stone-800">
                  {upload.progress < 100
                    ? t('sell.photosStep.uploading2', { count: plural(upload.files.length, 'photo') })
                    : t('sell.photosStep.processing', { count: plural(upload.files.length, 'photo') })}
                </span>
                <span className="text-stone-600">{upload.progress}%</span>
              </div>
              <progress
                max={100}
                value={upload.progress}
                aria-label={t('sell.photosStep.uploading3', { count: plural(upload.files.length, 'photo') })}
                className="mt-1 h-2 w-full overflow-hidden rounded-full [&::-moz-progress-bar]:bg-brand-600 [&::-webkit-progress-bar]:bg-stone-200 [&::-webkit-progress-value]:bg-brand-600 [&::-webkit-progress-value]:transition-all"
              />
            </div>
          )}
        </div>
      ))}

      {images.length === 0 && uploads.length === 0 ? (
        <div className="rounded-2xl border border-dashed border-stone-300 bg-white px-6 py-10 text-center">
          <p className="font-semibold text-stone-800">
            <FormattedMessage id="sell.photosStep.noPhotosYet" />
          </p>
          <p className="mt-1 text-sm text-stone-600">
            <FormattedMessage id="sell.photosStep.listingsWithClearPhotos" />
          </p>
        </div>
      ) : (
        images.length > 0 && (
          <>
            <p className="text-sm text-stone-600">
              <FormattedMessage
                id="sell.photosStep.dragPhotosChangeTheir"
                values={{ count: images.length }}
              />
            </p>
            <ol className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
              {images.map((image, index) => {
                const number = index + 1;
                const dragging = drag?.active && drag.id === image.id;
                return (
                  <li
                    key={image.id}
                    ref={(element) => {
                      if (element) tileRefs.current.set(image.id, element);
                      else tileRefs.current.delete(image.id);
                    }}
                    onPointerDown={(event) => onPointerDown(event, index, image.id)}
                    onPointerMove={onPointerMove}
                    onPointerUp={onPointerUp}
                    onPointerCancel={() => setDrag(null)}
                    onLostPointerCapture={() => setDrag(null)}
                    style={dragStyle(index)}
                    className={`relative rounded-2xl border bg-white p-2 select-none ${
                      dragging ? 'cursor-grabbing border-brand-500 shadow-xl' : 'cursor-grab border-stone-200'
                    } ${drag?.active && !dragging ? 'transition-transform duration-150 motion-reduce:transition-none' : ''}`}
                  >
                    <div className="relative">
                      <ListingPhoto
                        image={image}
                        alt={t('sell.photosStep.photo', { number })}
                        sizes="(min-width: 1024px) 200px, (min-width: 640px) 30vw, 45vw"
                        className="pointer-events-none aspect-square rounded-xl"
                      />
                      <span
                        data-drag-handle=""
                        aria-hidden="true"
                        className="absolute top-1.5 left-1.5 flex size-9 touch-none items-center justify-center rounded-full bg-black/55 text-white shadow"
                      >
                        <Icon path={ICONS.grip} />
                      </span>
                      <span className="absolute top-1.5 right-1.5 rounded-full bg-black/70 px-2 py-0.5 text-xs font-semibold text-white">
                        {number}
                      </span>
                      {image.primary && (
                        <span className="absolute bottom-1.5 left-1.5 rounded-full bg-brand-600 px-2 py-0.5 text-xs font-semibold text-white">
                          <FormattedMessage id="sell.photosStep.cover" />
                        </span>
                      )}
                    </div>
                    <div className="mt-2 flex items-center justify-between gap-1">
                      <button
                        type="button"
                        data-move="left"
                        onClick={() => moveBy(index, -1)}
                        disabled={index === 0}
                        className={tileButton}
                      >
                        <Icon path={ICONS.left} />
                        <span className="sr-only">
                          <FormattedMessage id="sell.photosStep.movePhotoLeft" values={{ number }} />
                        </span>
                      </button>
                      <button
                        type="button"
                        onClick={() => makePrimary.mutate(image.id)}
                        disabled={makePrimary.isPending}
                        aria-pressed={image.primary}
                        className={`${tileButton} ${image.primary ? 'border-brand-600 text-brand-700' : ''}`}
                      >
                        <Icon path={ICONS.star} />
                        <span className="sr-only">
                          <FormattedMessage id="sell.photosStep.makePhotoCover" values={{ number }} />
                        </span>
                      </button>
                      <button
                        type="button"
                        onClick={() => remove.mutate(image.id)}
                        disabled={remove.isPending && remove.variables === image.id}
                        className={`${tileButton} hover:border-red-600 hover:text-red-700`}
                      >
                        <Icon path={ICONS.trash} />
                        <span className="sr-only">
                          <FormattedMessage id="sell.photosStep.deletePhoto" values={{ number }} />
                        </span>
                      </button>
                      <button
                        type="button"
                        data-move="right"
                        onClick={() => moveBy(index, 1)}
                        disabled={index === images.length - 1}
                        className={tileButton}
                      >
                        <Icon path={ICONS.right} />
                        <span className="sr-only">
                          <FormattedMessage id="sell.photosStep.movePhotoRight" values={{ number }} />
                        </span>
                      </button>
                    </div>
                  </li>
                );
              })}
            </ol>
          </>
        )
      )}
    </div>
  );
}
