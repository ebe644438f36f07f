import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createRedisFanout, type Fanout } from './realtime.fanout.js';

const redisUrl = process.env.TEST_REDIS_URL;
const logger = createLogger('silent');

describe.skipIf(!redisUrl)('Redis fan-out', () => {
  const opened: Fanout[] = [];
  const node = async (ttlSeconds = 30) => {
    const fanout = await createRedisFanout({
      url: redisUrl as string,
      nodeId: randomUUID(),
      ttlSeconds,
      logger,
    });
    opened.push(fanout);
    return fanout;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((fanout) => fanout.close()));
  });

  it('passes events with their id and channel seq to the other nodes, not back to the sender', async () => {
    const [a, b] = [await node(), await node()];
    const atA: string[] = [];
    const atB: string[] = [];
    a.onRemote((_channel, event) => atA.push(event.frame));
    const arrived = new Promise<void>((resolve) =>
      b.onRemote((channel, event) => {
        atB.push(`${channel}|${event.id}|${event.seq}|${event.frame}`);
        if (atB.length === 2) resolve();
      }),
    );
    const channel = `user:${randomUUID()}`;
    a.broadcast(channel, { id: 42, seq: 7, frame: '{"type":"event","text":"a\\nb"}' });
    a.broadcast(channel, { id: null, seq: null, frame: '{"type":"event","id":null}' });
    await arrived;
    expect(atB).toEqual([
      `${channel}|42|7|{"type":"event","text":"a\\nb"}`,
      `${channel}|null|null|{"type":"event","id":null}`,
    ]);
    expect(atA).toEqual([]);
  });

  it('sees presence on other nodes until it is withdrawn, and forgets a node that stopped renewing it', async () => {
    const [a, b] = [await node(), await node(3)];
    const userId = randomUUID();
    const channel = `conversation:${randomUUID()}`;
    b.present(userId, channel, true);
    await expect.poll(() => a.presentElsewhere(userId, channel)).toBe(true);
    expect(await b.presentElsewhere(userId, channel)).toBe(false);
    b.present(userId, channel, false);
    await expect.poll(() => a.presentElsewhere(userId, channel)).toBe(false);

    // Node b "crashes": after one last renewal it stops, and its presence expires with its TTL (3 s).
    b.present(userId, channel, true);
    await b.refresh(() => []);
    await expect.poll(() => a.presentElsewhere(userId, channel)).toBe(true);
    await expect
      .poll(() => a.presentElsewhere(userId, channel), { timeout: 10_000, interval: 250 })
      .toBe(false);
  });
});
