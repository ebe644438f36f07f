import { parse as parseQueryString } from 'node:querystring';
import {
  MarkAllReadResult,
  Notification,
  NotificationIdParams,
  NotificationListQuery,
  NotificationPage,
  NotificationPreferences,
  PushPublicKey,
  PushSubscriptionBody,
  PushSubscriptionResult,
  PushUnsubscribeBody,
  UnreadCount,
  UnsubscribeBody,
  UnsubscribeQuery,
  UnsubscribeResult,
  UpdateNotificationPreferencesBody,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { notificationError } from './notifications.errors.js';
import type { NotificationsService } from './notifications.service.js';

const NoContent = z.undefined();
const tags = ['notifications'];

export function notificationsRoutes(service: NotificationsService): FastifyPluginAsyncZod {
  return async (app) => {
    // Mail clients send the RFC 8058 one-click POST as a form; only this plugin's routes parse it.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => {
        done(null, parseQueryString(body as string));
      },
    );
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'private, no-store');
    });

    app.get(
      '/notifications',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'My notifications, newest first (the bell)',
          querystring: NotificationListQuery,
          response: { 200: NotificationPage, ...problemResponses(400, 401) },
        },
      },
      (request) => service.list(request.ctx, request.query),
    );

    app.get(
      '/notifications/unread-count',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'How many of my notifications are unread',
          response: { 200: UnreadCount, ...problemResponses(401) },
        },
      },
      (request) => service.unreadCount(request.ctx),
    );

    app.post(
      '/notifications/:id/read',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Mark one of my notifications read (someone else’s is a 404)',
          params: NotificationIdParams,
          response: { 200: Notification, ...problemResponses(400, 401, 404) },
        },
      },
      (request) => service.markRead(request.ctx, request.params.id),
    );

    app.post(
      '/notifications/read-all',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Mark all my notifications read',
          response: { 200: MarkAllReadResult, ...problemResponses(401) },
        },
      },
      (request) => service.markAllRead(request.ctx),
    );

    app.get(
      '/notifications/preferences',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'My notification matrix (type × channel) with the registry of types',
          response: { 200: NotificationPreferences, ...problemResponses(401) },
        },
      },
      (request) => service.getPreferences(request.ctx),
    );

    app.put(
      '/notifications/preferences',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Change my notification matrix (merged per type and channel) and digest rhythm',
          body: UpdateNotificationPreferencesBody,
          response: { 200: NotificationPreferences, ...problemResponses(400, 401) },
        },
      },
      (request) => service.updatePreferences(request.ctx, request.body),
    );

    app.post(
      '/notifications/unsubscribe',
      {
        config: { rateLimit: { max: 30, timeWindow: 60_000 } },
        schema: {
          tags,
          summary: 'One-click unsubscribe from a mail (RFC 8058); anyone holding a valid signed token',
          querystring: UnsubscribeQuery,
          body: UnsubscribeBody.optional(),
          response: { 200: UnsubscribeResult, ...problemResponses(400, 429) },
        },
      },
      (request) => {
        const token = request.body?.token ?? request.query.token;
        if (!token) throw notificationError('invalid_unsubscribe_token', 'The link carries no token.');
        return service.unsubscribe(token);
      },
    );

    app.get(
      '/notifications/push/public-key',
      {
        schema: {
          tags,
          summary: 'The VAPID public key for pushManager.subscribe',
          response: { 200: PushPublicKey },
        },
      },
      () => service.pushPublicKey(),
    );

    app.post(
      '/notifications/push/subscriptions',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Receive web push on this device (the browser’s PushSubscription)',
          body: PushSubscriptionBody,
          response: { 201: PushSubscriptionResult, ...problemResponses(400, 401) },
        },
      },
      async (request, reply) => {
        const userAgent =
          typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null;
        const result = await service.subscribePush(request.ctx, request.body, userAgent);
        return reply.code(201).send(result);
      },
    );

    app.post(
      '/notifications/push/unsubscribe',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Stop web push on this device',
          body: PushUnsubscribeBody,
          response: { 204: NoContent, ...problemResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        await service.unsubscribePush(request.ctx, request.body.endpoint);
        return reply.code(204).send();
      },
    );
  };
}
