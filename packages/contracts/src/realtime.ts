import { z } from 'zod';

/**
 * The realtime protocol of `/ws`: JSON text frames, one object per frame. See docs/realtime.md.
 *
 * A channel is `<prefix>:<id>`: `user:<userId>` (the caller's own), `conversation:<id>`
 * (participants), `listing:<id>` (a publicly visible listing). Stored events carry a numeric
 * string `id` that grows monotonically; a client that reconnects subscribes again with the last
 * id it saw and gets exactly what it missed, in order, before live events.
 */
export const RealtimeChannel = z
  .string()
  .max(120)
  .regex(/^[a-z][a-z_]{0,30}:[A-Za-z0-9_-]{1,80}$/, 'a channel is <prefix>:<id>, e.g. user:<uuid>');

/** Id of a stored event: a positive integer, sent as a string. */
export const RealtimeEventId = z.string().regex(/^[1-9][0-9]{0,17}$/, 'an event id is a positive integer');

// Client -> server.
export const RealtimeSubscribeFrame = z.object({
  type: z.literal('subscribe'),
  channel: RealtimeChannel,
  /** Resume: replay the channel's stored events after this one, then go live. */
  lastEventId: RealtimeEventId.optional(),
});
export const RealtimeUnsubscribeFrame = z.object({
  type: z.literal('unsubscribe'),
  channel: RealtimeChannel,
});
export const RealtimeClientFrame = z.discriminatedUnion('type', [
  RealtimeSubscribeFrame,
  RealtimeUnsubscribeFrame,
]);
export type RealtimeClientFrame = z.infer<typeof RealtimeClientFrame>;

// Server -> client.
export const RealtimeEventFrame = z.object({
  type: z.literal('event'),
  /** Null for a signal (live only, not stored, not resumable: typing indicators). */
  id: RealtimeEventId.nullable(),
  channel: RealtimeChannel,
  /** The event's type, e.g. `message.created`. */
  event: z.string(),
  data: z.unknown(),
  at: z.iso.datetime({ offset: true }),
});
export const RealtimeSubscribedFrame = z.object({
  type: z.literal('subscribed'),
  channel: RealtimeChannel,
  /**
   * True when a resume could not be served from the stored events (the last id is older than the
   * retention window, or too many events were missed): nothing is replayed, the client should
   * reload the channel's state over HTTP. Absent otherwise.
   */
  gap: z.literal(true).optional(),
  /**
   * When the client did not resume (no `lastEventId`, or a gap): the newest stored event of the
   * channel as the subscription started, so a client that has seen no event yet still has a
   * point to resume from. Absent when the channel has no stored events.
   */
  lastEventId: RealtimeEventId.optional(),
});
export const RealtimeErrorCode = z.enum([
  'invalid_message',
  'forbidden',
  'unknown_channel',
  'too_many_subscriptions',
  'unavailable',
]);
export const RealtimeErrorFrame = z.object({
  type: z.literal('error'),
  channel: RealtimeChannel.optional(),
  code: RealtimeErrorCode,
  status: z.union([z.literal(400), z.literal(403), z.literal(404), z.literal(429), z.literal(503)]),
  detail: z.string().optional(),
});
export const RealtimeServerFrame = z.discriminatedUnion('type', [
  RealtimeEventFrame,
  RealtimeSubscribedFrame,
  RealtimeErrorFrame,
]);
export type RealtimeEventFrame = z.infer<typeof RealtimeEventFrame>;
export type RealtimeErrorFrame = z.infer<typeof RealtimeErrorFrame>;
export type RealtimeServerFrame = z.infer<typeof RealtimeServerFrame>;

/**
 * Close code sent when the upgrade carried no valid session cookie: the web app refreshes its
 * session, then reconnects. (A bad Bearer token or a foreign Origin is refused before the upgrade.)
 */
export const REALTIME_CLOSE_UNAUTHENTICATED = 4401;
