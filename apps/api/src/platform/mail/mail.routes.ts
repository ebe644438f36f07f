import { DevMail, DevMailIdParams, DevMailList, DevMailListQuery } from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../http/openapi.js';
import type { DevMailbox } from './dev-mailbox.js';
import { mailError } from './mail.errors.js';

/**
 * The dev mailbox API. Anyone may call it: it is registered only when mail is kept rather than
 * sent and the server is not in production (see `servesDevMailbox`), i.e. on a developer's machine.
 */
export function devMailboxRoutes(mailbox: DevMailbox): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/dev/mailbox',
      {
        schema: {
          tags: ['dev'],
          summary: 'Mail kept instead of sent, newest first (development only)',
          querystring: DevMailListQuery,
          response: { 200: DevMailList, ...problemResponses(400) },
        },
      },
      (request) => mailbox.list(request.query),
    );

    app.get(
      '/dev/mailbox/:id',
      {
        schema: {
          tags: ['dev'],
          summary: 'One kept mail with its text and HTML versions (development only)',
          params: DevMailIdParams,
          response: { 200: DevMail, ...problemResponses(400, 404) },
        },
      },
      async (request) => {
        const mail = await mailbox.get(request.params.id);
        if (!mail)
          throw mailError('mail_not_found', 'The mail may have been cleared or pushed out by newer ones.');
        return mail;
      },
    );

    app.delete(
      '/dev/mailbox',
      {
        schema: {
          tags: ['dev'],
          summary: 'Delete every kept mail (development only)',
          response: { 204: z.undefined() },
        },
      },
      async (_request, reply) => {
        await mailbox.clear();
        return reply.code(204).send();
      },
    );
  };
}
