import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger.js';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogFn = (...args: unknown[]) => void;
/** Fastify's logger is pino here (platform/logger.ts), which has these too. */
type PinoLogger = FastifyBaseLogger & { isLevelEnabled(level: string): boolean; bindings(): Bindings };

/**
 * A request's logger that becomes the real pino child (with the request id bound) only when a
 * line is written at a level the logger keeps. Building a pino child costs ~6 µs of CPU (the
 * bindings go through serializers and the redaction of `*.password`-style paths): on every
 * request, though with the usual `LOG_LEVEL=warn` most requests write nothing. Lines that are
 * written are the child's own, so they read exactly as before.
 */
class DeferredChildLogger {
  readonly #parent: PinoLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: PinoLogger | undefined;

  constructor(parent: PinoLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): PinoLogger {
    if (!this.#child) this.#child = this.#parent.child(this.#bindings, this.#options) as PinoLogger;
    return this.#child;
  }

  #write(level: Level, args: unknown[]): void {
    if (this.#child || this.#parent.isLevelEnabled(level)) {
      (this.#real()[level] as LogFn)(...args);
    }
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }
  set level(level: string) {
    this.#real().level = level;
  }
  isLevelEnabled(level: string): boolean {
    return (this.#child ?? this.#parent).isLevelEnabled(level);
  }
  bindings(): Bindings {
    return this.#real().bindings();
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
  fatal(...args: unknown[]): void {
    this.#write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#write('error', args);
  }
  warn(...args: unknown[]): void {
    this.#write('warn', args);
  }
  info(...args: unknown[]): void {
    this.#write('info', args);
  }
  debug(...args: unknown[]): void {
    this.#write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#write('trace', args);
  }
  silent(): void {}
}

/**
 * Fastify's `childLoggerFactory` for requests: a deferred child (above), or the real one at once
 * when the route sets its own level (the child's level then differs from the parent's).
 */
export function requestLogger(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  if (options.level) return parent.child(bindings, options);
  return new DeferredChildLogger(parent as PinoLogger, bindings, options) as unknown as FastifyBaseLogger;
}
