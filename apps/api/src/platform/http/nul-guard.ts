import type { FieldError } from '@souk/contracts';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { platformError } from './errors.js';

/*
 * Text PostgreSQL cannot store, refused before any route sees it. A NUL character is valid
 * JSON (`\u0000`) and valid in a URL (`%00`), but `text` and `jsonb` columns refuse it ("invalid
 * byte sequence for encoding UTF8: 0x00", "unsupported Unicode escape sequence"), so it reached
 * the database and came back as a 500 on every route that stores or searches a string. An
 * unpaired UTF-16 surrogate (`"\ud800"` in JSON) is never an error there: the driver encodes it
 * as U+FFFD, silently changing what was sent, so it is refused too. Checked once here for every
 * route (query, params and the parsed body, keys included) instead of in each schema, so a
 * field added later is covered without anyone remembering to.
 */

const SURROGATE = /[\ud800-\udfff]/;
const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Deeper than any request schema; a body nested past it is refused by validation anyway. */
const MAX_DEPTH = 32;
const MAX_ERRORS = 20;

/** Why `text` cannot be stored, or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (!SURROGATE.test(text)) return null;
  UNPAIRED.lastIndex = 0;
  return UNPAIRED.test(text) ? 'must be valid Unicode text (it has an unpaired surrogate)' : null;
}

function collect(value: unknown, path: string, errors: FieldError[], depth: number): void {
  if (errors.length >= MAX_ERRORS) return;
  if (typeof value === 'string') {
    const message = unstorableText(value);
    if (message) errors.push({ path, message });
    return;
  }
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      collect(item, `${path}.${index}`, errors, depth + 1);
    });
    return;
  }
  for (const key of Object.keys(value)) {
    const message = unstorableText(key);
    // The key is named with the bad characters shown as U+FFFD: the problem is JSON text too.
    const at = `${path}.${message ? key.replaceAll('\u0000', '\ufffd').replace(UNPAIRED, '\ufffd') : key}`;
    if (message) errors.push({ path: at, message: `its name ${message}` });
    collect((value as Record<string, unknown>)[key], at, errors, depth + 1);
  }
}

/**
 * The fields under `value` that hold unstorable text, named from `path` (empty: none): for input
 * that arrives other than as a request body, such as the rows of an import file.
 */
export function unstorableTextIn(value: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  collect(value, path, errors, 0);
  return path ? errors : errors.map((error) => ({ ...error, path: error.path.slice(1) }));
}

/** The fields of a request that hold unstorable text, as validation errors (empty: none). */
export function unstorableFields(request: Pick<FastifyRequest, 'query' | 'params' | 'body'>): FieldError[] {
  const errors: FieldError[] = [];
  collect(request.params, 'params', errors, 0);
  collect(request.query, 'query', errors, 0);
  collect(request.body, 'body', errors, 0);
  return errors;
}

/**
 * A preValidation hook for every route: a 400 `validation_failed` problem naming each field that
 * holds a NUL character or an unpaired surrogate. Callback style: a clean request costs no promise.
 */
export function refuseUnstorableText(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  const errors = unstorableFields(request);
  if (errors.length === 0) {
    done();
    return;
  }
  done(
    platformError(
      'validation_failed',
      'Text may not contain the NUL character or unpaired surrogates; see errors.',
      errors,
    ),
  );
}
