import fastifyMultipart from '@fastify/multipart';
import {
  Id,
  ListingIdParams,
  ListingImage,
  MESSAGE_MAX_IMAGES,
  ReorderImagesBody,
  UploadedMessageImages,
} from '@souk/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/http/context.js';
import { type AppError, platformError } from '../../platform/http/errors.js';
import { markMalformedMultipart } from '../../platform/http/multipart.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { mediaError } from './media.errors.js';
import {
  IMAGE_MAX_BYTES,
  IMAGE_MAX_PIXELS,
  MAX_IMAGES_PER_LISTING,
  type MediaService,
  type UploadedFile,
} from './media.service.js';

const tags = ['listings'];
/** Image decoding is CPU work: per client address. */
const uploadLimit = { rateLimit: { max: 20, timeWindow: 60_000 } };
const ListingImages = z.array(ListingImage);
const ImageParams = z.object({ id: Id, imageId: Id });
const NoContent = z.undefined();
const FILE_FIELD = 'files';
const maxMegabytes = IMAGE_MAX_BYTES / 1024 / 1024;

/**
 * For the OpenAPI document only: multipart bodies are read with `request.parts()`, so
 * `request.body` stays empty and this never rejects anything.
 */
const ImagesUpload = z
  .object({ files: z.array(z.file()).describe(`Up to ${MAX_IMAGES_PER_LISTING} images, each its own part`) })
  .nullish();

/** A file name fit to quote back in an error: no control characters, not endless. */
const nameOf = (filename: string | undefined, index: number) =>
  (filename ?? '').replace(/\p{Cc}/gu, '').slice(0, 120) || `file ${index + 1}`;

/**
 * Every file of the request, whole, with multipart's own errors turned into problems. Stops at
 * the first part past `room` or past the size limit, naming the file.
 */
async function readUploads(
  request: FastifyRequest,
  room: number,
  tooMany: () => AppError = () =>
    mediaError(
      'too_many_images',
      `The listing has room for ${room} more image(s) of ${MAX_IMAGES_PER_LISTING}; nothing was stored.`,
    ),
): Promise<UploadedFile[]> {
  const files: UploadedFile[] = [];
  const wrongPart = () =>
    mediaError('no_images', `Send each image as a file part named "${FILE_FIELD}", and nothing else.`);
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file' || part.fieldname !== FILE_FIELD) throw wrongPart();
      const filename = nameOf(part.filename, files.length);
      if (files.length >= room) throw tooMany();
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
        const message = `${filename}: The file is larger than ${maxMegabytes} MB.`;
        throw mediaError('image_too_large', `${message} Nothing was stored.`, [
          { path: `body.files.${files.length}`, message },
        ]);
      }
      files.push({ filename, bytes });
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw mediaError('too_many_images', `Send at most ${MAX_IMAGES_PER_LISTING} images at once.`);
    }
    if (code === 'FST_FIELDS_LIMIT') throw wrongPart();
    throw markMalformedMultipart(error);
  }
  return files;
}

/** A listing's images under /api/v1/listings/:id/images; only its seller changes them. */
export function mediaModuleRoutes(service: MediaService): FastifyPluginAsyncZod {
  return async (app) => {
    // Registered here so multipart parsing exists only on these routes.
    await app.register(fastifyMultipart, {
      limits: {
        fileSize: IMAGE_MAX_BYTES,
        files: MAX_IMAGES_PER_LISTING,
        fields: 0,
        parts: MAX_IMAGES_PER_LISTING,
      },
    });

    app.post(
      '/listings/:id/images',
      {
        config: uploadLimit,
        // Before body validation, so a JSON body is a 415, not a field error about `files`.
        preValidation: async (request) => {
          if (!request.isMultipart())
            throw platformError('unsupported_media_type', 'Send the images as multipart/form-data.');
        },
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Add images to a listing (its seller)',
          description:
            `multipart/form-data with one or more file parts named "${FILE_FIELD}": JPEG, PNG, WebP, GIF (first ` +
            `frame), AVIF or HEIF, each at most ${maxMegabytes} MB and ${IMAGE_MAX_PIXELS / 1_000_000} megapixels; a ` +
            `listing has at most ${MAX_IMAGES_PER_LISTING}. All or nothing: one bad file refuses the batch and the ` +
            'problem names it. Each image is stored upright, without metadata, as WebP 320, 800 and 1600 px wide ' +
            '(never wider than the original) with a blurred placeholder. Answers every image of the listing, in order.',
          consumes: ['multipart/form-data'],
          params: ListingIdParams,
          body: ImagesUpload,
          response: { 200: ListingImages, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 429) },
        },
      },
      (request) => service.uploadImages(request.ctx, request.params.id, (room) => readUploads(request, room)),
    );

    app.post(
      '/messages/images',
      {
        config: uploadLimit,
        preValidation: async (request) => {
          if (!request.isMultipart())
            throw platformError('unsupported_media_type', 'Send the photos as multipart/form-data.');
        },
        preHandler: requireActor,
        schema: {
          tags: ['messaging'],
          summary: 'Upload photos to send in a message (any member)',
          description:
            `multipart/form-data with up to ${MESSAGE_MAX_IMAGES} file parts named "${FILE_FIELD}", checked like ` +
            'listing photos. Answers their ids: send them as `imageIds` of a message within a day, or they are removed.',
          consumes: ['multipart/form-data'],
          body: ImagesUpload,
          response: { 201: UploadedMessageImages, ...problemResponses(400, 401, 413, 415, 429) },
        },
      },
      async (request, reply) => {
        const items = await service.uploadMessageImages(request.ctx, (room) =>
          readUploads(request, room, () =>
            mediaError('too_many_images', `Send at most ${MESSAGE_MAX_IMAGES} photos in one message.`),
          ),
        );
        reply.code(201);
        return { items };
      },
    );

    app.put(
      '/listings/:id/images',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Reorder the images of a listing (its seller)',
          description: 'Send the ids of all its images, each once, in the new order.',
          params: ListingIdParams,
          body: ReorderImagesBody,
          response: { 200: ListingImages, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      (request) => service.reorderImages(request.ctx, request.params.id, request.body.imageIds),
    );

    app.post(
      '/listings/:id/images/:imageId/primary',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Choose the primary image of a listing, shown on cards (its seller)',
          params: ImageParams,
          response: { 200: ListingImages, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      (request) => service.setPrimaryImage(request.ctx, request.params.id, request.params.imageId),
    );

    app.delete(
      '/listings/:id/images/:imageId',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Delete an image of a listing and its files (its seller)',
          params: ImageParams,
          response: { 204: NoContent, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await service.deleteImage(request.ctx, request.params.id, request.params.imageId);
        return reply.code(204).send();
      },
    );
  };
}
