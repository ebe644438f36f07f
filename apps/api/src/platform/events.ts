import type { Queryable } from './db/database.js';
import type { Jobs } from './jobs.js';

/** Envelope of every domain event as a subscriber receives it. */
export type EventEnvelope<T extends string = string, P = unknown> = {
  type: T;
  payload: P;
  occurredAt: string;
};

export type EventHandler<P> = (payload: P, event: EventEnvelope<string, P>) => Promise<void>;

/** Map of event name (past tense, `module.thing_happened`) to its payload type. */
export type EventMap = Record<string, object>;

/** The narrow side a module gets: it can only publish its own events. */
export type EventPublisher<E extends EventMap> = {
  /** Enqueues the event inside `tx`: it exists if and only if the write that caused it commits. */
  publish<K extends keyof E & string>(tx: Queryable, type: K, payload: E[K]): Promise<void>;
  /** The same for many events of one type at once: one statement per subscriber (bulk writes). */
  publishMany<K extends keyof E & string>(tx: Queryable, type: K, payloads: E[K][]): Promise<void>;
};

export type EventBus<E extends EventMap> = EventPublisher<E> & {
  /**
   * Registers `handler` under a subscriber name; each (event, subscriber) pair is its own job
   * queue, so one slow or failing subscriber retries alone and never blocks the others.
   * Call while wiring the app, before the job system starts.
   */
  subscribe<K extends keyof E & string>(type: K, subscriber: string, handler: EventHandler<E[K]>): void;
  subscribers(type: keyof E & string): string[];
};

export function createEventBus<E extends EventMap>(jobs: Jobs): EventBus<E> {
  const queuesByType = new Map<string, string[]>();

  return {
    subscribe(type, subscriber, handler) {
      const queue = `event.${type}.${subscriber}`;
      jobs.define<EventEnvelope<string, E[typeof type]>>(queue, (envelope) =>
        handler(envelope.payload, envelope),
      );
      queuesByType.set(type, [...(queuesByType.get(type) ?? []), queue]);
    },
    subscribers(type) {
      return (queuesByType.get(type) ?? []).map((queue) => queue.slice(`event.${type}.`.length));
    },
    async publish(tx, type, payload) {
      const envelope: EventEnvelope = { type, payload, occurredAt: new Date().toISOString() };
      for (const queue of queuesByType.get(type) ?? []) await jobs.send(queue, envelope, { tx });
    },
    async publishMany(tx, type, payloads) {
      if (payloads.length === 0) return;
      const occurredAt = new Date().toISOString();
      const envelopes: EventEnvelope[] = payloads.map((payload) => ({ type, payload, occurredAt }));
      for (const queue of queuesByType.get(type) ?? []) await jobs.sendMany(queue, envelopes, { tx });
    },
  };
}
