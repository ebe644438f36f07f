import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const mediaErrors = {
  listing_not_found: { status: 404, title: 'No such listing' },
  listing_not_editable: { status: 409, title: 'The listing was removed; its photos cannot change' },
  image_not_found: { status: 404, title: 'The listing has no such image' },
  no_images: { status: 400, title: 'Send the images as multipart/form-data file fields named "files"' },
  too_many_images: { status: 409, title: 'A listing has at most 20 images' },
  unsupported_image: { status: 415, title: 'Use a JPEG, PNG, WebP, GIF, AVIF or HEIF image' },
  invalid_image: { status: 400, title: 'The image is damaged or incomplete' },
  image_too_large: { status: 413, title: 'The image is too large' },
  reorder_mismatch: { status: 400, title: 'The new order must list every image of the listing exactly once' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type MediaErrorCode = keyof typeof mediaErrors;

export const mediaError = errorFactory(mediaErrors);
