import {
  BlockedUserPage,
  BlockUserParams,
  Conversation,
  ConversationIdParams,
  ConversationPage,
  ConversationReport,
  ConversationsQuery,
  CursorQuery,
  ListingIdParams,
  MarkReadBody,
  MessagePage,
  MessageSearchPage,
  MessageSearchQuery,
  MessagesQuery,
  QuickReply,
  QuickReplyBody,
  QuickReplyIdParams,
  QuickReplyList,
  ReportConversationBody,
  SendMessageBody,
  SentMessage,
  StartConversationBody,
  UnreadTotal,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { perMember, privateWhenSignedIn, requireActor } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { MessagingService } from './messaging.service.js';

const tags = ['messaging'];
const NoContent = z.undefined();
/** A client signals "typing" every few seconds at most; more is dropped with a 429. */
const typingLimit = { rateLimit: { max: 12, timeWindow: 30_000, keyGenerator: perMember } };
const sendProblems = problemResponses(400, 401, 403, 404, 409, 429);
const readProblems = problemResponses(400, 401, 403, 404);
type RouteApp = Parameters<FastifyPluginAsyncZod>[0];
type SendLimit = { rateLimit: { max: number; timeWindow: number; keyGenerator: typeof perMember } };

/** Conversations under /api/v1/conversations, blocks under /api/v1/users, quick replies. */
export function messagingRoutes(
  service: MessagingService,
  limits: { sendsPerMinute: number },
): FastifyPluginAsyncZod {
  const sendLimit = {
    rateLimit: { max: limits.sendsPerMinute, timeWindow: 60_000, keyGenerator: perMember },
  };
  return async (app) => {
    app.addHook('onSend', privateWhenSignedIn);
    conversationRoutes(app, service, sendLimit);
    blockAndQuickReplyRoutes(app, service);
  };
}

/** Sending, the inbox, one conversation (messages, read marks, typing, report) and search. */
function conversationRoutes(app: RouteApp, service: MessagingService, sendLimit: SendLimit) {
  app.post(
    '/listings/:id/messages',
    {
      preHandler: requireActor,
      config: sendLimit,
      schema: {
        tags,
        summary: 'Message the seller of a listing (starts the conversation, or continues it)',
        params: ListingIdParams,
        body: SendMessageBody,
        response: { 201: SentMessage, ...sendProblems },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return service.sendAboutListing(request.ctx, request.params.id, request.body);
    },
  );

  app.post(
    '/conversations',
    {
      preHandler: requireActor,
      config: sendLimit,
      schema: {
        tags,
        summary: 'Start (or continue) the conversation about a listing with its first message',
        body: StartConversationBody,
        response: { 201: SentMessage, ...sendProblems },
      },
    },
    async (request, reply) => {
      const { listingId, ...message } = request.body;
      reply.code(201);
      return service.sendAboutListing(request.ctx, listingId, message);
    },
  );

  app.get(
    '/conversations',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'My conversations, newest activity first, with unread counts',
        querystring: ConversationsQuery,
        response: { 200: ConversationPage, ...problemResponses(400, 401) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/conversations/unread',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'How many messages I have not read, over all my conversations',
        response: { 200: UnreadTotal, ...problemResponses(401) },
      },
    },
    (request) => service.unread(request.ctx),
  );

  app.get(
    '/conversations/:id',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'One conversation (its participants only)',
        params: ConversationIdParams,
        response: { 200: Conversation, ...readProblems },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );

  app.delete(
    '/conversations/:id',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'Delete a conversation for me (it comes back with the next message)',
        params: ConversationIdParams,
        response: { 204: NoContent, ...readProblems },
      },
    },
    async (request, reply) => {
      await service.hide(request.ctx, request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/conversations/:id/messages',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'Messages of a conversation, newest first (its participants only)',
        params: ConversationIdParams,
        querystring: MessagesQuery,
        response: { 200: MessagePage, ...readProblems },
      },
    },
    (request) => service.messages(request.ctx, request.params.id, request.query),
  );

  app.post(
    '/conversations/:id/messages',
    {
      preHandler: requireActor,
      config: sendLimit,
      schema: {
        tags,
        summary: 'Send a message: text, photos (uploaded first) or a quick reply',
        description:
          'A `clientMessageId` makes the send idempotent: sending the same id again answers the stored message.',
        params: ConversationIdParams,
        body: SendMessageBody,
        response: { 201: SentMessage, ...sendProblems },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return service.sendToConversation(request.ctx, request.params.id, request.body);
    },
  );

  app.post(
    '/conversations/:id/read',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'Mark read up to a message (the newest by default); the sender gets a read receipt',
        params: ConversationIdParams,
        body: MarkReadBody.optional(),
        response: { 200: UnreadTotal, ...readProblems },
      },
    },
    (request) => service.markRead(request.ctx, request.params.id, request.body?.upToMessageId),
  );

  app.post(
    '/conversations/:id/typing',
    {
      preHandler: requireActor,
      config: typingLimit,
      schema: {
        tags,
        summary: 'Tell the other participant I am typing (live only, not stored)',
        params: ConversationIdParams,
        response: { 204: NoContent, ...problemResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await service.typing(request.ctx, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/conversations/:id/report',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'Report a conversation to the moderators (its messages are kept as evidence)',
        params: ConversationIdParams,
        body: ReportConversationBody,
        response: { 201: ConversationReport, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return service.report(request.ctx, request.params.id, request.body);
    },
  );

  app.get(
    '/messages/search',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'Search my messages (words match as prefixes), newest first',
        querystring: MessageSearchQuery,
        response: { 200: MessageSearchPage, ...problemResponses(400, 401) },
      },
    },
    (request) => service.search(request.ctx, request.query),
  );
}

/** A member's blocks and quick replies. */
function blockAndQuickReplyRoutes(app: RouteApp, service: MessagingService) {
  app.get(
    '/users/me/blocks',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'Users I blocked, newest first',
        querystring: CursorQuery,
        response: { 200: BlockedUserPage, ...problemResponses(400, 401) },
      },
    },
    (request) => service.blocks(request.ctx, request.query),
  );

  app.post(
    '/users/:id/block',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'Block a user: neither of us can message the other until I unblock',
        params: BlockUserParams,
        response: { 204: NoContent, ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await service.block(request.ctx, request.params.id);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/users/:id/block',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'Unblock a user',
        params: BlockUserParams,
        response: { 204: NoContent, ...problemResponses(400, 401) },
      },
    },
    async (request, reply) => {
      await service.unblock(request.ctx, request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/quick-replies',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'My saved quick replies, oldest first',
        response: { 200: QuickReplyList, ...problemResponses(401) },
      },
    },
    (request) => service.quickReplies(request.ctx),
  );

  app.post(
    '/quick-replies',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'Save a quick reply (at most 20)',
        body: QuickReplyBody,
        response: { 201: QuickReply, ...problemResponses(400, 401, 409) },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return service.createQuickReply(request.ctx, request.body.text);
    },
  );

  app.patch(
    '/quick-replies/:id',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'Change a quick reply',
        params: QuickReplyIdParams,
        body: QuickReplyBody,
        response: { 200: QuickReply, ...problemResponses(400, 401, 404) },
      },
    },
    (request) => service.updateQuickReply(request.ctx, request.params.id, request.body.text),
  );

  app.delete(
    '/quick-replies/:id',
    {
      preHandler: requireActor,
      schema: {
        tags,
        summary: 'Delete a quick reply',
        params: QuickReplyIdParams,
        response: { 204: NoContent, ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await service.deleteQuickReply(request.ctx, request.params.id);
      return reply.code(204).send();
    },
  );
}
