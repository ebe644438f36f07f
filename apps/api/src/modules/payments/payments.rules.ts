import { defineMachine, guard } from '../../platform/state-machine.js';
import { paymentsError } from './payments.errors.js';
import type { ProviderIntent } from './payments.provider.js';

/*
 * Pure rules of a payment: its transitions table, and how a provider's view of an intent becomes
 * the steps Souk takes. No I/O here.
 */

export type PaymentStatus =
  | 'created'
  | 'requires_action'
  | 'authorized'
  | 'captured'
  | 'partially_refunded'
  | 'refunded'
  | 'failed'
  | 'canceled';

export type PaymentEvent = 'require_action' | 'authorize' | 'capture' | 'fail' | 'cancel' | 'refund';

export type PaymentEffect = 'bookCapture' | 'publishCaptured';

/** What a refund guard reads: the amount refunded after this refund, and what was captured. */
export type RefundContext = { refundedAfter: number; captured: number } | undefined;

const partial = guard<RefundContext>('partial', (context) =>
  context && context.refundedAfter < context.captured
    ? null
    : paymentsError('refund_exceeds_captured', 'A partial refund leaves something captured.'),
);
const full = guard<RefundContext>('full', (context) =>
  context && context.refundedAfter === context.captured
    ? null
    : paymentsError('refund_exceeds_captured', 'A refund cannot exceed what was captured.'),
);

export const paymentMachine = defineMachine<PaymentStatus, PaymentEvent, RefundContext, PaymentEffect>({
  entity: 'payment',
  states: [
    'created',
    'requires_action',
    'authorized',
    'captured',
    'partially_refunded',
    'refunded',
    'failed',
    'canceled',
  ],
  initial: 'created',
  final: ['refunded', 'failed', 'canceled'],
  transitions: [
    { from: 'created', event: 'require_action', to: 'requires_action' },
    { from: ['created', 'requires_action'], event: 'authorize', to: 'authorized' },
    { from: 'authorized', event: 'capture', to: 'captured', effects: ['bookCapture', 'publishCaptured'] },
    // A decline after the 3-D Secure page, or a capture the card's bank refuses.
    { from: ['created', 'requires_action', 'authorized'], event: 'fail', to: 'failed' },
    { from: ['created', 'requires_action', 'authorized'], event: 'cancel', to: 'canceled' },
    { from: ['captured', 'partially_refunded'], event: 'refund', to: 'partially_refunded', guard: partial },
    { from: ['captured', 'partially_refunded'], event: 'refund', to: 'refunded', guard: full },
  ],
});

/** How far along the capture a status is; a provider's view never moves a payment back. */
const PROGRESS: Record<PaymentStatus, number> = {
  created: 0,
  requires_action: 1,
  authorized: 2,
  captured: 3,
  partially_refunded: 3,
  refunded: 3,
  failed: 9,
  canceled: 9,
};

/** What the provider's intent says the payment is, refunds aside (they are booked by amount). */
export function statusOfIntent(intent: ProviderIntent): PaymentStatus {
  switch (intent.status) {
    case 'requires_action':
      return 'requires_action';
    case 'requires_capture':
      return 'authorized';
    case 'succeeded':
      return 'captured';
    case 'canceled':
      // The sandbox cancels a declined or uncapturable intent with the reason; Stripe's own
      // cancellation of an authorization that failed capture carries one too.
      return intent.lastError ? 'failed' : 'canceled';
    default:
      return 'created';
  }
}

/**
 * The events that take a payment from `current` towards what the provider says, forward only:
 * an event that arrives late (a `requires_capture` after a `succeeded`, a `succeeded` after a
 * refund) plans nothing, so the order webhooks arrive in does not matter.
 */
export function planSteps(current: PaymentStatus, target: PaymentStatus): PaymentEvent[] {
  if (current === target) return [];
  if (target === 'failed' || target === 'canceled') {
    const event = target === 'failed' ? 'fail' : 'cancel';
    return paymentMachine.accepts(current, event) ? [event] : [];
  }
  if (PROGRESS[current] >= PROGRESS[target]) return [];
  const steps: PaymentEvent[] = [];
  if (target === 'requires_action') steps.push('require_action');
  if (PROGRESS[target] >= PROGRESS.authorized && PROGRESS[current] < PROGRESS.authorized)
    steps.push('authorize');
  if (PROGRESS[target] >= PROGRESS.captured && PROGRESS[current] < PROGRESS.captured) steps.push('capture');
  return steps;
}

/** A provider's view that contradicts Souk's in a way no forward step explains: flagged. */
export function contradicts(current: PaymentStatus, intent: ProviderIntent): boolean {
  const target = statusOfIntent(intent);
  return (current === 'failed' || current === 'canceled') && target === 'captured';
}

/** The ledger key of a capture: the provider's payment id, so every path books it once. */
export const captureKey = (provider: string, intentId: string) => `payments:capture:${provider}:${intentId}`;
export const refundKey = (refundId: string) => `payments:refund:${refundId}`;
export const refundRevertKey = (refundId: string) => `payments:refund-revert:${refundId}`;
