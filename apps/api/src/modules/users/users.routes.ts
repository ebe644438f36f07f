import fastifyMultipart from '@fastify/multipart';
import {
  AvatarResult,
  ConfirmPasswordBody,
  Preferences,
  SellerProfile,
  UpdatePreferencesBody,
  UpdateProfileBody,
  UpdateSellerProfileBody,
  UserExport,
  UserIdParams,
  UserProfile,
  UserStats,
} from '@souk/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import { markMalformedMultipart } from '../../platform/http/multipart.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { AVATAR_MAX_BYTES } from './users.avatar.js';
import { usersError } from './users.errors.js';
import type { UsersService } from './users.service.js';

const tags = ['users'];
/** Image decoding is CPU work, and password checks invite guessing: per client address. */
const uploadLimit = { rateLimit: { max: 30, timeWindow: 60_000 } };
const passwordLimit = { rateLimit: { max: 20, timeWindow: 60_000 } };
const NoContent = z.undefined();
/** No body, or `{ password }`: an account without a password (social sign-in) sends none. */
const OptionalConfirmPassword = ConfirmPasswordBody.nullish();

/**
 * For the OpenAPI document only: multipart bodies are read with `request.parts()`, so
 * `request.body` stays empty and this never rejects anything.
 */
const AvatarUpload = z
  .object({ file: z.file().describe('The image; the field name does not matter') })
  .nullish();

/** Answers that carry private fields must not sit in a shared cache. */
const privateAnswer = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');

/** The single uploaded file, with multipart's own errors turned into problems. */
async function readUpload(request: FastifyRequest): Promise<Buffer> {
  let bytes: Buffer | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file' || bytes)
        throw usersError('avatar_missing', 'Send exactly one file and no other fields.');
      bytes = await part.toBuffer();
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw usersError('image_too_large', 'Upload at most 5 MB.');
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw usersError('avatar_missing', 'Send exactly one file and no other fields.');
    }
    throw markMalformedMultipart(error);
  }
  if (!bytes) throw usersError('avatar_missing');
  return bytes;
}

/**
 * Profiles under /api/v1/users. `:id` is a user id or `me`. Who may call what is checked in
 * the service; `requireActor` here only answers anonymous callers early with a 401.
 */
export function usersRoutes(service: UsersService): FastifyPluginAsyncZod {
  return async (app) => {
    // Registered here so multipart parsing exists only on these routes.
    await app.register(fastifyMultipart, {
      limits: { fileSize: AVATAR_MAX_BYTES, files: 1, fields: 0, parts: 1 },
    });

    app.get(
      '/users/:id',
      {
        schema: {
          tags,
          summary: 'A profile; email and phone only for its owner and admins',
          params: UserIdParams,
          response: { 200: UserProfile, ...problemResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        privateAnswer(reply);
        return service.getProfile(request.ctx, request.params.id);
      },
    );

    app.patch(
      '/users/:id',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Change a profile (owner or admin)',
          params: UserIdParams,
          body: UpdateProfileBody,
          response: { 200: UserProfile, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        privateAnswer(reply);
        return service.updateProfile(request.ctx, request.params.id, request.body);
      },
    );

    app.post(
      '/users/:id/avatar',
      {
        config: uploadLimit,
        // Before body validation, so a JSON body is a 415, not a field error about `file`.
        preValidation: async (request) => {
          if (!request.isMultipart())
            throw platformError('unsupported_media_type', 'Send the image as multipart/form-data.');
        },
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Upload an avatar (owner or admin)',
          description:
            'multipart/form-data with one image file (JPEG, PNG, WebP, GIF, AVIF or HEIF, at most 5 MB and ' +
            '30 megapixels). It is re-encoded as a 512x512 WebP without metadata.',
          consumes: ['multipart/form-data'],
          params: UserIdParams,
          body: AvatarUpload,
          response: { 200: AvatarResult, ...problemResponses(400, 401, 403, 404, 413, 415, 429) },
        },
      },
      (request) => service.setAvatar(request.ctx, request.params.id, () => readUpload(request)),
    );

    app.delete(
      '/users/:id/avatar',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Remove the avatar (owner or admin)',
          params: UserIdParams,
          response: { 204: NoContent, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await service.removeAvatar(request.ctx, request.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      '/users/:id/seller',
      {
        schema: {
          tags,
          summary: 'The seller profile: business name, description, website, opening hours',
          params: UserIdParams,
          response: { 200: SellerProfile, ...problemResponses(400, 401, 404) },
        },
      },
      (request) => service.getSellerProfile(request.ctx, request.params.id),
    );

    app.put(
      '/users/:id/seller',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Replace the seller profile (owner or admin)',
          params: UserIdParams,
          body: UpdateSellerProfileBody,
          response: { 200: SellerProfile, ...problemResponses(400, 401, 403, 404) },
        },
      },
      (request) => service.updateSellerProfile(request.ctx, request.params.id, request.body),
    );

    app.get(
      '/users/:id/preferences',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Language, currency, theme and notification channels (owner)',
          params: UserIdParams,
          response: { 200: Preferences, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        privateAnswer(reply);
        return service.getPreferences(request.ctx, request.params.id);
      },
    );

    app.put(
      '/users/:id/preferences',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Change preferences; the fields sent are merged into the stored ones (owner)',
          params: UserIdParams,
          body: UpdatePreferencesBody,
          response: { 200: Preferences, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        privateAnswer(reply);
        return service.updatePreferences(request.ctx, request.params.id, request.body);
      },
    );

    app.get(
      '/users/:id/stats',
      {
        schema: {
          tags,
          summary: 'Listings, sales, reviews and response rate',
          params: UserIdParams,
          response: { 200: UserStats, ...problemResponses(400, 401, 404) },
        },
      },
      (request) => service.getStats(request.ctx, request.params.id),
    );

    app.post(
      '/users/:id/deactivate',
      {
        config: passwordLimit,
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Hide the account and sign out everywhere; signing in again reactivates it (owner)',
          params: UserIdParams,
          body: OptionalConfirmPassword,
          response: { 204: NoContent, ...problemResponses(400, 401, 403, 404, 429) },
        },
      },
      async (request, reply) => {
        await service.deactivate(request.ctx, request.params.id, request.body ?? {});
        return reply.code(204).send();
      },
    );

    app.delete(
      '/users/:id',
      {
        config: passwordLimit,
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Delete the account and erase its personal data (owner with password, or admin)',
          params: UserIdParams,
          body: OptionalConfirmPassword,
          response: { 204: NoContent, ...problemResponses(400, 401, 403, 404, 429) },
        },
      },
      async (request, reply) => {
        await service.deleteAccount(request.ctx, request.params.id, request.body ?? {});
        return reply.code(204).send();
      },
    );

    app.get(
      '/users/:id/export',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Download everything Souk keeps about the account, as JSON (owner)',
          params: UserIdParams,
          response: { 200: UserExport, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const data = await service.exportData(request.ctx, request.params.id);
        privateAnswer(reply);
        reply.header('content-disposition', `attachment; filename="souk-export-${data.profile.id}.json"`);
        return data;
      },
    );
  };
}
