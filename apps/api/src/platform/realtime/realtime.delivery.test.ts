import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, type TestSocket } from '../../test-support/realtime-client.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { createRealtimeRepository } from './realtime.repository.js';

/**
 * Decision 038: an event that is stored but never fanned out (its node died between the insert
 * and the Redis publish, or Redis was down) still reaches the sockets that follow its channel,
 * in order and once: at the channel's next event (a skipped seq), or through the tail.
 */
let testApp: TestApp;
let url: string;
let alice: TestUser;
const sockets: TestSocket[] = [];
const repository = createRealtimeRepository();

/** What another node does when it dies right after storing: the row, and no fan-out. */
async function storedElsewhere(channel: string, n: number) {
  const row = await repository.insert(testApp.platform.database.db, {
    channel,
    type: 'test.step',
    data: { n },
  });
  return String(row.id);
}

async function subscribed(channel: string) {
  const socket = await openSocket(url, { headers: alice.headers });
  sockets.push(socket);
  await socket.subscribe(channel);
  return socket;
}

const steps = (socket: TestSocket, channel: string) =>
  socket.events(channel).map((event) => (event.data as { n: number }).n);

async function catchUps(reason: string): Promise<number> {
  const metrics = (await testApp.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = metrics.split('\n').find((l) => l.startsWith(`realtime_catch_ups_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

beforeAll(async () => {
  testApp = await createTestApp();
  const address = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  url = `${address.replace('http', 'ws')}/ws`;
  alice = await testApp.signUp();
});

afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await testApp?.close();
});

describe('events that were stored but not fanned out', () => {
  it('numbers each channel’s events 1, 2, 3… with no hole, ids growing with them', async () => {
    const channel = `user:${alice.userId}:numbering`;
    const db = testApp.platform.database.db;
    const first = await repository.insert(db, { channel, type: 't', data: {} });
    await repository.insert(db, { channel: `${channel}:other`, type: 't', data: {} });
    const second = await repository.insert(db, { channel, type: 't', data: {} });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(second.id).toBeGreaterThan(first.id);
    expect(await repository.seqOf(db, channel, second.id)).toBe(2);
  });

  it('reach a live socket with the channel’s next event, before it and in order', async () => {
    const channel = `user:${alice.userId}`;
    const socket = await subscribed(channel);
    const before = await catchUps('gap');
    const first = await testApp.platform.realtime.publish(channel, 'test.step', { n: 1 });
    await socket.next((frame) => frame.type === 'event' && frame.id === first.id);
    const lost = await storedElsewhere(channel, 2);
    const third = await testApp.platform.realtime.publish(channel, 'test.step', { n: 3 });
    await socket.next((frame) => frame.type === 'event' && frame.id === third.id);

    expect(socket.events(channel).map((event) => event.id)).toEqual([first.id, lost, third.id]);
    expect(steps(socket, channel)).toEqual([1, 2, 3]);
    expect(await catchUps('gap')).toBeGreaterThan(before);
  });

  it('reach a live socket through the tail when no event follows them', async () => {
    const channel = `user:${alice.userId}`;
    const socket = await subscribed(channel);
    const before = await catchUps('tail');
    const lost = [await storedElsewhere(channel, 10), await storedElsewhere(channel, 11)];
    await socket.next((frame) => frame.type === 'event' && frame.id === lost[1], { timeoutMs: 15_000 });

    expect(socket.events(channel).map((event) => event.id)).toEqual(lost);
    expect(await catchUps('tail')).toBeGreaterThan(before);
    // Then live again, once each.
    const next = await testApp.platform.realtime.publish(channel, 'test.step', { n: 12 });
    await socket.next((frame) => frame.type === 'event' && frame.id === next.id);
    expect(steps(socket, channel)).toEqual([10, 11, 12]);
  });
});
