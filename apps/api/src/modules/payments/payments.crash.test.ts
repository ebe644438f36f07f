import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createPaymentsModule, loadPaymentsSettings } from './index.js';
import { CARDS, paymentsHarness, SANDBOX_WEBHOOK_PURPOSE } from './payments.test-support.js';

/**
 * Issue 18, must-show 3 (second half): a process killed between the provider's success and
 * Souk's commit ends, after reconciliation, with exactly one booking. On PostgreSQL the process
 * is real and killed with SIGKILL inside its open booking transaction; on both engines the same
 * window is also cut in-process (the booking transaction dies before its commit).
 */
let t: TestApp;
let h: ReturnType<typeof paymentsHarness>;

beforeAll(async () => {
  t = await createTestApp();
  h = paymentsHarness(t);
});
afterAll(() => t.close());

const intentIdOf = (checkoutUrl: string) => checkoutUrl.split('/').at(-1) ?? '';
const since = () => new Date(Date.now() - 3_600_000);

/** After the crash: nothing booked; reconciliation books it once; nothing after books it again. */
async function expectOneBookingAfterReconciliation(
  memberId: string,
  paymentId: string,
  amount: number,
  intentId: string,
) {
  expect(await h.balance(memberId)).toBe(0);
  expect(await h.entriesOf(memberId, paymentId)).toHaveLength(0);
  expect((await h.payments.provider.retrieve(intentId)).status).toBe('succeeded');

  const report = await h.payments.reconcile({ since: since() });
  expect(report.bookedCaptures).toContain(paymentId);
  expect(await h.balance(memberId)).toBe(amount);

  // Everything that could book it again: another run, the webhook, the member's return.
  const again = await h.payments.reconcile({ since: since() });
  expect(again.bookedCaptures).not.toContain(paymentId);
  expect(again.flagged).toEqual([]);
  for (const event of await h.eventsOf(intentId))
    expect((await h.redeliver(event.payload)).statusCode).toBe(200);
  await h.returnTo(`/api/v1/payments/${paymentId}/return`);
  expect(await h.balance(memberId)).toBe(amount);
  expect(await h.entriesOf(memberId, paymentId)).toHaveLength(1);
  expect((await h.payment(paymentId)).status).toBe('captured');
}

describe('a crash between the provider capturing and Souk booking', () => {
  it('in-process: the booking transaction dies before its commit; reconciliation books once', async () => {
    const member = await t.signUp();
    const { paymentId, checkoutUrl } = await h.startTopUp(member, 17_00);
    await h.pay(checkoutUrl, CARDS.success);
    const { platform, app } = t;
    // A second payments module on the same database whose booking dies just before it commits.
    const crashing = createPaymentsModule({
      database: platform.database,
      jobs: { ...platform.jobs, define: () => {}, schedule: () => {} },
      events: app.events,
      ledger: app.modules.ledger.service,
      logger: platform.logger,
      settings: loadPaymentsSettings({}),
      sandboxWebhookSecret: app.modules.auth.deriveSecret(SANDBOX_WEBHOOK_PURPOSE).toString('base64url'),
      localOrigin: 'http://127.0.0.1:9',
      audit: app.modules.audit.service,
      beforeCommit: async (payment) => {
        if (payment.status === 'captured') throw new Error('killed before commit');
      },
    });
    await expect(crashing.service.returned(paymentId)).rejects.toThrow('killed before commit');
    await expectOneBookingAfterReconciliation(member.userId, paymentId, 17_00, intentIdOf(checkoutUrl));
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'a real process killed with SIGKILL inside its booking transaction (PostgreSQL)',
    async () => {
      const member = await t.signUp();
      const { paymentId, checkoutUrl } = await h.startTopUp(member, 42_00);
      await h.pay(checkoutUrl, CARDS.success);

      const child = spawn(
        process.execPath,
        [
          '--conditions=@souk/source',
          '--import',
          'tsx',
          fileURLToPath(new URL('./payments.crash-child.ts', import.meta.url)),
          paymentId,
        ],
        {
          cwd: fileURLToPath(new URL('../../..', import.meta.url)),
          env: {
            ...process.env,
            DATABASE_URL: t.platform.config.DATABASE_URL,
            DATA_DIR: t.platform.config.DATA_DIR,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stderr.on('data', (chunk) => {
        output += String(chunk);
      });
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
        child.on('exit', (code, signal) => resolve(signal ?? code)),
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          output += String(chunk);
          if (output.includes(`BOOKING_OPEN ${paymentId}`)) resolve();
        });
        exited.then(() => reject(new Error(`the child ended before booking: ${output}`)));
      });
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(output).not.toContain('COMMITTED');
      await expectOneBookingAfterReconciliation(member.userId, paymentId, 42_00, intentIdOf(checkoutUrl));
    },
  );
});
