import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { paymentsError } from './payments.errors.js';

/** Stripe's tolerance, which the sandbox keeps: a signature older than this is refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * The `Stripe-Signature` header of `payload`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.payload" under the secret>`. The sandbox signs its deliveries with it, at each attempt.
 */
export function signWebhook(payload: string, secret: string, at: Date = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${payload}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * Verifies with the Stripe SDK's own `constructEvent` (the same scheme for both providers), so
 * the sandbox's signatures are checked by the code that checks Stripe's. A missing, forged or
 * stale signature is a 400 `webhook_signature_invalid`, which tells the sender not to retry it.
 */
export function verifyWebhook(rawBody: Buffer, header: string | undefined, secret: string): unknown {
  if (!header) throw paymentsError('webhook_signature_invalid', 'The Stripe-Signature header is missing.');
  try {
    return Stripe.webhooks.constructEvent(rawBody, header, secret, WEBHOOK_TOLERANCE_SECONDS);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'it does not verify';
    throw paymentsError('webhook_signature_invalid', reason);
  }
}
