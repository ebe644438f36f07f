import { loadConfig } from '../../platform/config.js';
import { createEventBus } from '../../platform/events.js';
import { createPlatform } from '../../platform/index.js';
import { createAuditModule } from '../audit/index.js';
import { createLedgerModule } from '../ledger/index.js';
import { createPaymentsModule, loadPaymentsSettings, type PaymentsEvents } from './index.js';

/*
 * The process payments.crash.test.ts kills. It brings one payment home the way the member's
 * return does (ask the provider, capture, book) and stops inside the booking transaction, after
 * the provider captured and before Souk's commit, printing BOOKING_OPEN; the test kills it there
 * with SIGKILL. Not used by Souk itself.
 */
const paymentId = process.argv[2];
if (!paymentId) throw new Error('usage: payments.crash-child.ts <paymentId>');

const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const platform = await createPlatform(config);
const events = createEventBus<PaymentsEvents>(platform.jobs);
const ledger = createLedgerModule({ database: platform.database, signingSeed: Buffer.alloc(32, 1) });
const payments = createPaymentsModule({
  database: platform.database,
  jobs: platform.jobs,
  events,
  ledger: ledger.service,
  logger: platform.logger,
  settings: loadPaymentsSettings({}),
  sandboxWebhookSecret: 'crash-child',
  localOrigin: 'http://127.0.0.1:9',
  audit: createAuditModule({ database: platform.database }).service,
  beforeCommit: async (payment) => {
    if (payment.status !== 'captured') return;
    process.stdout.write(`BOOKING_OPEN ${payment.id}\n`);
    await new Promise(() => {}); // until killed
  },
});
await platform.jobs.start({ work: false });
await payments.service.returned(paymentId);
process.stdout.write('COMMITTED\n');
process.exit(0);
