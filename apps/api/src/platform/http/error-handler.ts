import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/errors.js';
import { AppError, genericTitle, platformError, problemOf } from './errors.js';

/** Seconds a client is asked to wait after a 503: about what a database restart takes. */
export const RETRY_AFTER_SECONDS = 5;

const fastifyCodes: Record<string, Parameters<typeof platformError>[0]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_RATE_LIMIT: 'rate_limited',
};

function sendProblem(reply: FastifyReply, request: FastifyRequest, error: AppError) {
  if (error.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply
    .status(error.status)
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(problemOf(error, request.id)));
}

/** Turns anything thrown in a route into problem+json; 5xx details stay in the log. */
export function toAppError(error: FastifyError): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    return platformError(
      'validation_failed',
      'Some fields are missing or wrong; see errors.',
      error.validation.map((issue) => ({
        path: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
        message: issue.message ?? 'is not valid',
      })),
    );
  }
  const mapped = error.code ? fastifyCodes[error.code] : undefined;
  if (mapped) return platformError(mapped, error.message);
  // JSON.parse failures reach us as a SyntaxError with a 400 status.
  if (error instanceof SyntaxError && error.statusCode === 400)
    return platformError('invalid_json', error.message);
  // A database that is restarting, gone or stalled is worth a retry, not a bug report.
  if (isDatabaseUnavailable(error))
    return platformError('service_unavailable', 'The database does not answer; try again in a few seconds.');
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new AppError(
      status === 404 ? 'not_found' : 'bad_request',
      status,
      genericTitle(status),
      error.message,
    );
  }
  return platformError('internal_error', 'The error has been logged; try again in a moment.');
}

export function registerErrorHandling(
  app: FastifyInstance,
  notFound: (request: FastifyRequest, reply: FastifyReply) => unknown,
) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'service_unavailable')
      request.log.warn({ reason: (error as Error).message }, 'request refused: database unavailable');
    else if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code, status: appError.status }, 'request refused');
    return sendProblem(reply, request, appError);
  });

  app.setNotFoundHandler((request, reply) => {
    const handled = notFound(request, reply);
    if (handled) return handled;
    const path = request.url.split('?')[0];
    return sendProblem(
      reply,
      request,
      platformError('route_not_found', `Nothing answers ${request.method} ${path}.`),
    );
  });
}
