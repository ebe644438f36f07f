import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const importErrors = {
  import_not_found: { status: 404, title: 'No such import' },
  seller_not_found: { status: 400, title: 'The seller does not exist' },
  import_file_missing: { status: 400, title: 'Send the listings as a file part named "file"' },
  import_file_too_large: { status: 413, title: 'The file is too large to import' },
  import_running: { status: 409, title: 'An import for this seller is still running' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type ImportErrorCode = keyof typeof importErrors;

export const importError = errorFactory(importErrors);
