import type { Readable } from 'node:stream';
import { AppError } from './errors.js';

/*
 * A multipart body that cannot be parsed (no boundary in the content type, a body cut short, a
 * part header that is not one, a boundary the body never uses) makes busboy fail with a plain
 * Error: no code, no status. The error handler turns such errors into a 500, as it must for
 * unknown ones, so every upload route answered 500 to a client's malformed request. They are
 * the client's fault: marked here as a 400 `bad_request` problem. @fastify/multipart's own
 * errors (limits, a premature close) carry a status already and are left alone.
 */

const PREFIX = 'The multipart/form-data body could not be read';

/** Makes a multipart parsing error a 400 problem, in place; returns it for `throw`. */
export function markMalformedMultipart<T>(error: T): T {
  if (!(error instanceof Error) || error instanceof AppError) return error;
  const withStatus = error as Error & { statusCode?: number };
  if (withStatus.statusCode !== undefined) return error;
  withStatus.statusCode = 400;
  if (!error.message.startsWith(PREFIX)) {
    error.message = `${PREFIX} (${error.message}); send it with its boundary and every part complete.`;
  }
  return error;
}

/**
 * The same for a file part read later as a stream (an import reads its file after the route
 * returns it): the error the stream fails with is marked before its reader sees it.
 */
export function markMalformedMultipartStream<S extends Readable>(stream: S): S {
  // A body that arrived whole can have failed the part before its reader got it.
  if (stream.errored) markMalformedMultipart(stream.errored);
  stream.on('error', markMalformedMultipart);
  return stream;
}
