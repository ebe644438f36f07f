import { afterAll, beforeAll, expect, it } from 'vitest';
import { listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor, waitForIdleJobs } from '../../test-support/wait.js';

// Through the real job workers: the listing events reach the favorites subscribers wired in
// app.ts, and each saver gets one notification per event.

let t: TestApp;
let saver: TestUser;
let seller: TestUser;
let f: Awaited<ReturnType<typeof listingFixtures>>;

beforeAll(async () => {
  t = await createTestApp({ work: true });
  f = await listingFixtures(t);
  [saver, seller] = await Promise.all([t.signUp(), t.signUp()]);
});
afterAll(() => t.close());

async function notificationsOf(who: TestUser, type: string) {
  const response = await t.call('GET', '/notifications?limit=100', who);
  return (response.json().items as { type: string; title: string }[]).filter((item) => item.type === type);
}

function waitForNotifications(who: TestUser, type: string) {
  return waitFor(async () => {
    const items = await notificationsOf(who, type);
    return items.length > 0 && items;
  }, 20_000);
}

it('a price drop and a sale reach the saver through the event queue, once each', async () => {
  const listing = await f.publish(seller, { title: 'Queued Prius', amount: 6_000_000_00 });
  expect((await t.call('POST', `/favorites/${listing.id}`, saver)).statusCode).toBe(200);
  const price = (amount: number) => ({ type: 'fixed', amount, currency: 'LKR' });
  expect(
    (await t.call('PATCH', `/listings/${listing.id}`, seller, { price: price(6_500_000_00) })).statusCode,
  ).toBe(200);
  expect(
    (await t.call('PATCH', `/listings/${listing.id}`, seller, { price: price(5_500_000_00) })).statusCode,
  ).toBe(200);
  const drops = await waitForNotifications(saver, 'price_drop');
  // (A drop handled after the sale notifies nobody: the sale's own notification says more.)
  expect((await t.call('POST', `/listings/${listing.id}/sold`, seller)).statusCode).toBe(200);
  const ended = await waitForNotifications(saver, 'favorite_unavailable');
  expect(drops.map((item) => item.title)).toEqual(['Price drop: Queued Prius']);
  expect(ended.map((item) => item.title)).toEqual(['No longer available: Queued Prius']);
  // Once every job the events caused has run, a stray duplicate would be there: still one of
  // each (the rise notified nobody).
  await waitForIdleJobs(t.platform.database);
  expect(await notificationsOf(saver, 'price_drop')).toHaveLength(1);
  expect(await notificationsOf(saver, 'favorite_unavailable')).toHaveLength(1);
  expect(await notificationsOf(seller, 'price_drop')).toHaveLength(0);
});
