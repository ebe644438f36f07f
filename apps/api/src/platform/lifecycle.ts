import { isDatabaseUnavailable } from './db/errors.js';
import type { Logger } from './logger.js';

/** Whether this process is on its way out: readiness says 503 and answers close their connection. */
export type Lifecycle = {
  readonly draining: boolean;
  startDraining(): void;
};

export function createLifecycle(): Lifecycle {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    startDraining() {
      draining = true;
    },
  };
}

export type ShutdownReason =
  | { signal: NodeJS.Signals; err?: undefined }
  | { err: unknown; signal?: undefined };

/**
 * SIGTERM and SIGINT drain and exit 0: readiness turns 503 at once, the listener stays open for
 * `delayMs` (a load balancer needs a probe or two to take the node out), then `close` runs.
 * An uncaught error exits 1 after the same `close` (no delay): the state it leaves is unknown.
 * A transient connection error (a database restart seen by a driver or a library that did not
 * catch it) is logged and survived: the database watchdog answers 503 until it is back.
 * Whatever happens, the process is gone `timeoutMs` after the first signal or error.
 */
export function handleProcessEvents(deps: {
  logger: Logger;
  lifecycle: Lifecycle;
  delayMs: number;
  timeoutMs: number;
  close: (reason: ShutdownReason) => Promise<void>;
}) {
  const { logger } = deps;
  let closing = false;

  const shutdown = async (reason: ShutdownReason) => {
    if (closing) {
      logger.error(
        reason.signal ? { signal: reason.signal } : { err: reason.err },
        'second signal or error, exiting',
      );
      process.exit(1);
    }
    closing = true;
    deps.lifecycle.startDraining();
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: deps.timeoutMs }, 'shutdown took longer than SHUTDOWN_TIMEOUT_MS, exiting');
      process.exit(1);
    }, deps.timeoutMs);
    deadline.unref();
    try {
      if (reason.signal && deps.delayMs > 0) {
        logger.info({ delayMs: deps.delayMs }, 'not ready: waiting for the load balancer to notice');
        await new Promise((resolve) => setTimeout(resolve, deps.delayMs));
      }
      await deps.close(reason);
      process.exit(reason.err === undefined ? 0 : 1);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };

  const onError = (kind: string) => (error: unknown) => {
    if (isDatabaseUnavailable(error)) {
      logger.warn({ err: error, kind }, 'transient connection error outside a request; not fatal');
      return;
    }
    logger.fatal({ err: error, kind }, 'shutting down after an uncaught error');
    void shutdown({ err: error });
  };

  process.on('SIGTERM', (signal) => void shutdown({ signal }));
  process.on('SIGINT', (signal) => void shutdown({ signal }));
  process.on('uncaughtException', onError('uncaughtException'));
  process.on('unhandledRejection', onError('unhandledRejection'));
}
