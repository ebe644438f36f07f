import { describe, expect, it } from 'vitest';
import type { ProviderIntent } from './payments.provider.js';
import {
  contradicts,
  type PaymentStatus,
  paymentMachine,
  planSteps,
  statusOfIntent,
} from './payments.rules.js';

const intent = (patch: Partial<ProviderIntent>): ProviderIntent => ({
  id: 'pi_1',
  status: 'requires_payment_method',
  amount: 1_000,
  currency: 'USD',
  amountCaptured: 0,
  amountRefunded: 0,
  lastError: null,
  metadata: {},
  created: new Date(),
  ...patch,
});

/** Walks the plan through the machine, as sync does. */
function walk(from: PaymentStatus, target: PaymentStatus): PaymentStatus {
  let status = from;
  for (const step of planSteps(from, target)) status = paymentMachine.transition(status, step, undefined).to;
  return status;
}

describe('payment rules', () => {
  it('maps what the provider says to a status', () => {
    expect(statusOfIntent(intent({ status: 'requires_action' }))).toBe('requires_action');
    expect(statusOfIntent(intent({ status: 'requires_capture' }))).toBe('authorized');
    expect(statusOfIntent(intent({ status: 'succeeded' }))).toBe('captured');
    expect(statusOfIntent(intent({ status: 'canceled', lastError: 'capture_failed' }))).toBe('failed');
    expect(statusOfIntent(intent({ status: 'canceled' }))).toBe('canceled');
    // A Stripe decline leaves the intent open for another card: not final.
    expect(statusOfIntent(intent({ status: 'requires_payment_method', lastError: 'card_declined' }))).toBe(
      'created',
    );
  });

  it('plans the forward steps from any status to what the provider says', () => {
    expect(planSteps('created', 'captured')).toEqual(['authorize', 'capture']);
    expect(planSteps('requires_action', 'authorized')).toEqual(['authorize']);
    expect(planSteps('created', 'requires_action')).toEqual(['require_action']);
    expect(walk('created', 'captured')).toBe('captured');
    expect(walk('authorized', 'failed')).toBe('failed');
  });

  it('never moves back: late events plan nothing, whatever order they come in', () => {
    const views: PaymentStatus[] = ['created', 'requires_action', 'authorized', 'captured'];
    for (const late of views) {
      expect(planSteps('captured', late)).toEqual([]);
      expect(planSteps('refunded', late)).toEqual([]);
      expect(planSteps('partially_refunded', late)).toEqual([]);
    }
    expect(planSteps('captured', 'failed')).toEqual([]);
    expect(planSteps('refunded', 'canceled')).toEqual([]);
    expect(planSteps('failed', 'authorized')).toEqual([]);
    // Every order of the same views ends where the furthest one says.
    const orders = [
      ['requires_action', 'authorized', 'captured'],
      ['captured', 'authorized', 'requires_action'],
      ['authorized', 'captured', 'requires_action'],
    ] as PaymentStatus[][];
    for (const order of orders) expect(order.reduce(walk, 'created' as PaymentStatus)).toBe('captured');
  });

  it('refunds: partial then full, never more than captured', () => {
    expect(paymentMachine.transition('captured', 'refund', { refundedAfter: 300, captured: 1_000 }).to).toBe(
      'partially_refunded',
    );
    expect(
      paymentMachine.transition('partially_refunded', 'refund', { refundedAfter: 1_000, captured: 1_000 }).to,
    ).toBe('refunded');
    expect(() =>
      paymentMachine.transition('captured', 'refund', { refundedAfter: 1_200, captured: 1_000 }),
    ).toThrow();
    expect(() =>
      paymentMachine.transition('refunded', 'refund', { refundedAfter: 1_000, captured: 1_000 }),
    ).toThrow();
  });

  it('flags a capture the provider made after Souk gave the payment up', () => {
    expect(contradicts('failed', intent({ status: 'succeeded', amountCaptured: 1_000 }))).toBe(true);
    expect(contradicts('captured', intent({ status: 'succeeded', amountCaptured: 1_000 }))).toBe(false);
  });
});
