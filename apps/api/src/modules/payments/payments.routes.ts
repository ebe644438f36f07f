import {
  Payment,
  PaymentParams,
  PaymentRefund,
  ReconcileReport,
  RefundBody,
  StartTopUpBody,
  TopUpStarted,
  WebhookParams,
  WebhookReceived,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor, requireRole } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { originOf } from '../audit/index.js';
import type { PaymentRefundRow, PaymentRow } from './payments.schema.js';
import type { PaymentsService } from './payments.service.js';

/** Documents the header the idempotency plugin requires (decision 033); the plugin checks it. */
const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .optional()
    .describe('A fresh UUID per logical request, the same on every retry of it (required)'),
});

export function paymentView(row: PaymentRow): z.infer<typeof Payment> {
  const currency = row.currency as z.infer<typeof Payment>['amount']['currency'];
  return {
    id: row.id,
    provider: row.provider as 'sandbox' | 'stripe',
    purpose: row.purpose,
    status: row.status as z.infer<typeof Payment>['status'],
    amount: { amountMinor: row.amount, currency },
    captured: { amountMinor: row.capturedAmount, currency },
    refunded: { amountMinor: row.refundedAmount, currency },
    failureCode: row.failureCode,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function refundView(refund: PaymentRefundRow, payment: PaymentRow): z.infer<typeof PaymentRefund> {
  const view = paymentView(payment);
  return {
    id: refund.id,
    paymentId: refund.paymentId,
    amount: { amountMinor: refund.amount, currency: view.amount.currency },
    status: refund.status as 'pending' | 'succeeded' | 'failed',
    payment: view,
  };
}

export function paymentsRoutes(deps: {
  service: PaymentsService;
  reconcile: (since: Date) => Promise<z.infer<typeof ReconcileReport>>;
  /** The payment page under /payments: the sandbox's hosted checkout, or Stripe's Payment Element. */
  checkout: { plugin: FastifyPluginAsyncZod; prefix: string } | null;
}): FastifyPluginAsyncZod {
  const { service } = deps;
  return async (app) => {
    app.post(
      '/payments/top-ups',
      {
        config: { idempotent: true },
        preHandler: requireActor,
        schema: {
          tags: ['payments'],
          summary: 'Start a wallet top-up by card: answers the page to pay on (send an Idempotency-Key)',
          headers: IdempotencyHeaders,
          body: StartTopUpBody,
          response: { 201: TopUpStarted, ...problemResponses(400, 401, 402, 409, 422, 503) },
        },
      },
      async (request, reply) => {
        const started = await service.startTopUp(request.ctx, {
          memberId: request.ctx.actor?.userId ?? '',
          amount: request.body.amount.amountMinor,
          currency: request.body.amount.currency,
          returnUrl: request.body.returnUrl,
        });
        return reply.code(201).header('location', `/api/v1/payments/${started.paymentId}`).send(started);
      },
    );

    app.get(
      '/payments/:paymentId',
      {
        preHandler: requireActor,
        schema: {
          tags: ['payments'],
          summary: 'One of my payments (an admin sees any)',
          params: PaymentParams,
          response: { 200: Payment, ...problemResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return paymentView(await service.get(request.ctx, request.params.paymentId));
      },
    );

    app.get(
      '/payments/:paymentId/return',
      {
        schema: {
          tags: ['payments'],
          summary:
            'Where the provider sends the browser back: Souk asks the provider, books, and redirects to the return path',
          params: PaymentParams,
          response: { 303: z.null(), ...problemResponses(400, 404, 503) },
        },
      },
      async (request, reply) => {
        const { location } = await service.returned(request.params.paymentId);
        return reply.header('cache-control', 'no-store').redirect(location, 303);
      },
    );

    app.post(
      '/payments/:paymentId/refunds',
      {
        config: { idempotent: true },
        preHandler: requireRole('admin'),
        schema: {
          tags: ['payments'],
          summary: 'Refund a captured payment in full or part (admin; send an Idempotency-Key)',
          params: PaymentParams,
          headers: IdempotencyHeaders,
          body: RefundBody,
          response: { 201: PaymentRefund, ...problemResponses(400, 401, 402, 403, 404, 409, 422, 503) },
        },
      },
      async (request, reply) => {
        const { refund, payment } = await service.refund(request.ctx, {
          paymentId: request.params.paymentId,
          ...(request.body.amountMinor !== undefined ? { amount: request.body.amountMinor } : {}),
          reason: request.body.reason,
          idempotencyKey: String(request.headers['idempotency-key']),
          origin: originOf(request),
        });
        return reply.code(201).send(refundView(refund, payment));
      },
    );

    app.post(
      '/payments/reconcile',
      {
        preHandler: requireRole('admin'),
        schema: {
          tags: ['payments'],
          summary: 'Compare the provider with the books now and repair or flag (admin; the job runs it too)',
          body: z
            .object({
              sinceHours: z
                .number()
                .int()
                .min(1)
                .max(24 * 90)
                .default(72),
            })
            .optional(),
          response: { 200: ReconcileReport, ...problemResponses(401, 403, 503) },
        },
      },
      (request) => deps.reconcile(new Date(Date.now() - (request.body?.sinceHours ?? 72) * 3_600_000)),
    );

    // The webhook reads its body as bytes: the signature is over them exactly as they came.
    await app.register(async (plain) => {
      const hooks = plain.withTypeProvider<ZodTypeProvider>();
      hooks.removeContentTypeParser('application/json');
      hooks.addContentTypeParser(
        'application/json',
        { parseAs: 'buffer', bodyLimit: 512 * 1024 },
        (_r, body, done) => done(null, body),
      );
      hooks.post(
        '/payments/webhooks/:provider',
        {
          config: { sessionless: true },
          schema: {
            tags: ['payments'],
            summary: "The provider's webhook (Stripe-Signature: t=…,v1=HMAC-SHA256)",
            params: WebhookParams,
            response: { 200: WebhookReceived, ...problemResponses(400, 404, 503) },
          },
        },
        async (request) => {
          const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const header = request.headers['stripe-signature'];
          return service.handleWebhook(
            request.params.provider,
            raw,
            typeof header === 'string' ? header : undefined,
          );
        },
      );
    });

    if (deps.checkout) await app.register(deps.checkout.plugin, { prefix: deps.checkout.prefix });
  };
}
