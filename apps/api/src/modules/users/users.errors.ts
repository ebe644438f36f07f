import { type ErrorCatalog, errorFactory } from '../../platform/http/errors.js';

export type UsersErrorCode =
  | 'user_not_found'
  | 'unknown_location'
  | 'wrong_password'
  | 'avatar_missing'
  | 'unsupported_image'
  | 'invalid_image'
  | 'image_too_large';

export const usersErrors: ErrorCatalog<UsersErrorCode> = {
  user_not_found: { status: 404, title: 'No such user' },
  unknown_location: { status: 400, title: 'The location does not exist' },
  wrong_password: { status: 403, title: 'The password is not right' },
  avatar_missing: { status: 400, title: 'Send one image file as multipart/form-data' },
  unsupported_image: { status: 415, title: 'Use a JPEG, PNG, WebP, GIF, AVIF or HEIF image' },
  invalid_image: { status: 400, title: 'The image is damaged or incomplete' },
  image_too_large: { status: 413, title: 'The image is too large' },
};

export const usersError = errorFactory(usersErrors);
