import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { requestLogger as build } from './request-logger.js';

type Pino = FastifyBaseLogger & {
  isLevelEnabled(level: string): boolean;
  bindings(): Record<string, unknown>;
};
const requestLogger = (...args: Parameters<typeof build>) => build(...args) as Pino;

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger(level, stream) as unknown as FastifyBaseLogger, lines };
}

describe('request logger', () => {
  it('writes the lines a pino child writes, with the request id, and nothing below the level', () => {
    const { logger, lines } = capture('warn');
    const log = requestLogger(logger, { requestId: 'req-1' }, {});
    log.info({ status: 200 }, 'request');
    expect(lines).toEqual([]);
    expect(log.level).toBe('warn');
    expect(log.isLevelEnabled('info')).toBe(false);

    log.warn({ err: new Error('boom'), password: 'hunter2' }, 'request failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      requestId: 'req-1',
      msg: 'request failed',
      password: '[redacted]',
    });

    const direct = capture('info');
    requestLogger(direct.logger, { requestId: 'req-2' }, {}).info({ status: 200 }, 'request');
    direct.logger.child({ requestId: 'req-2' }).info({ status: 200 }, 'request');
    const [deferred, child] = direct.lines.map(({ time: _time, ...line }) => line);
    expect(deferred).toEqual(child);
    expect(deferred).toMatchObject({ requestId: 'req-2', status: 200, msg: 'request' });
  });

  it('takes a route’s own level and binds children under it', () => {
    const { logger, lines } = capture('warn');
    const log = requestLogger(logger, { requestId: 'req-3' }, { level: 'debug' });
    log.debug('detail');
    log.child({ step: 'upload' }).warn('slow');
    expect(lines.map((line) => [line.requestId, line.msg, line.step])).toEqual([
      ['req-3', 'detail', undefined],
      ['req-3', 'slow', 'upload'],
    ]);
    expect(requestLogger(logger, { requestId: 'req-4' }, {}).bindings()).toMatchObject({
      requestId: 'req-4',
    });
  });
});
