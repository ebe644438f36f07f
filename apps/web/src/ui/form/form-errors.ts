import { ApiError, describeError, fieldErrorsOf } from '../../api/client';

export type FieldErrors = Record<string, string>;
export type FormErrors = { fields: FieldErrors; message: string | null };

const noErrors: FormErrors = { fields: {}, message: null };

/**
 * Splits a failed request into messages beside the fields of this form (`known`) and one for the
 * whole form. `byCode` pins problems that carry no field errors to a field (email_taken -> email).
 */
export function formErrorsOf(
  error: unknown,
  known: readonly string[],
  byCode: Record<string, { field: string; message: string }> = {},
): FormErrors {
  if (!error) return noErrors;
  const all = fieldErrorsOf(error);
  const fields: FieldErrors = {};
  let unplaced = false;
  for (const [field, message] of Object.entries(all)) {
    if (known.includes(field)) fields[field] = message;
    else unplaced = true;
  }
  const pinned = error instanceof ApiError ? byCode[error.code] : undefined;
  if (pinned && !fields[pinned.field]) fields[pinned.field] = pinned.message;
  const placedOnly = !unplaced && Object.keys(fields).length > 0;
  const isValidation = error instanceof ApiError && error.code === 'validation_failed';
  // A single refusal (wrong password) is said beside its field, where focus goes; several
  // validation errors also get a summary at the top.
  if (placedOnly) return { fields, message: isValidation ? 'Please fix the highlighted fields.' : null };
  return { fields, message: describeError(error) };
}

/** Client-side checks first; the server's answer once those pass. */
export function mergeErrors(client: FieldErrors, server: FormErrors): FormErrors {
  if (Object.keys(client).length > 0)
    return { fields: client, message: 'Please fix the highlighted fields.' };
  return server;
}
