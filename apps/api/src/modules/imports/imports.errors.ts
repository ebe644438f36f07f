import { type ErrorCatalog, errorFactory } from '../../platform/http/errors.js';

export type ImportErrorCode =
  | 'import_not_found'
  | 'seller_not_found'
  | 'import_file_missing'
  | 'import_file_too_large'
  | 'import_running';

export const importErrors: ErrorCatalog<ImportErrorCode> = {
  import_not_found: { status: 404, title: 'No such import' },
  seller_not_found: { status: 400, title: 'The seller does not exist' },
  import_file_missing: { status: 400, title: 'Send the listings as a file part named "file"' },
  import_file_too_large: { status: 413, title: 'The file is too large to import' },
  import_running: { status: 409, title: 'An import for this seller is still running' },
};

export const importError = errorFactory(importErrors);
