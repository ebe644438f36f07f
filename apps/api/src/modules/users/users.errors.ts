import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const usersErrors = {
  user_not_found: { status: 404, title: 'No such user' },
  unknown_location: { status: 400, title: 'The location does not exist' },
  wrong_password: { status: 403, title: 'The password is not right' },
  avatar_missing: { status: 400, title: 'Send one image file as multipart/form-data' },
  unsupported_image: { status: 415, title: 'Use a JPEG, PNG, WebP, GIF, AVIF or HEIF image' },
  invalid_image: { status: 400, title: 'The image is damaged or incomplete' },
  image_too_large: { status: 413, title: 'The image is too large' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type UsersErrorCode = keyof typeof usersErrors;

export const usersError = errorFactory(usersErrors);
