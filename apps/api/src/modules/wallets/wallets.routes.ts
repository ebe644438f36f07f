import { Readable } from 'node:stream';
import {
  AddPayoutMethodBody,
  BalanceHistory,
  BalanceHistoryQuery,
  Converted,
  ConvertQuery,
  FeeQuote,
  FeeQuoteQuery,
  FxRateList,
  Payout,
  PayoutMethod,
  PayoutMethodList,
  PayoutMethodParams,
  PayoutPage,
  PayoutsQuery,
  RequestPayoutBody,
  WalletHistoryFilter,
  WalletHistoryPage,
  WalletHistoryQuery,
  WalletSummary,
  WalletTopUpBody,
  WalletTopUpStarted,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { walletsAdminRoutes } from './wallets.admin.routes.js';
import type { WalletsService } from './wallets.service.js';

const tags = ['wallets'];
const noStore = 'private, no-store';

export function walletsRoutes(service: WalletsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/wallet',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'My balances per currency (available, held, pending payout) and the payout policy',
          response: { 200: WalletSummary, ...problemResponses(401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        return service.summary(request.ctx);
      },
    );

    app.get(
      '/wallet/transactions',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'My wallet history, newest first, filtered by currency, account, reference type and dates',
          querystring: WalletHistoryQuery,
          response: { 200: WalletHistoryPage, ...problemResponses(400, 401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        return service.history(request.ctx, request.query);
      },
    );

    app.get(
      '/wallet/statement.csv',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'My statement as CSV (the same filters as the history), streamed',
          querystring: WalletHistoryFilter,
          response: { 200: z.string(), ...problemResponses(400, 401) },
        },
      },
      async (request, reply) => {
        const lines = service.statement(request.ctx, request.query);
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="souk-wallet-statement.csv"')
          .header('cache-control', 'no-store');
        return reply.send(Readable.from(lines) as never);
      },
    );

    app.get(
      '/wallet/balance-history',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'My available balance after each change of the last days, oldest first (the chart)',
          querystring: BalanceHistoryQuery,
          response: { 200: BalanceHistory, ...problemResponses(400, 401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        return service.balanceHistory(request.ctx, request.query.currency, request.query.days);
      },
    );

    app.post(
      '/wallet/top-ups',
      {
        config: { idempotent: true },
        preHandler: requireActor,
        schema: {
          tags,
          summary:
            'Top up by card: answers the page to pay on, which returns to /account/wallet (send an Idempotency-Key)',
          body: WalletTopUpBody,
          response: { 201: WalletTopUpStarted, ...problemResponses(400, 401, 402, 409, 422, 503) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.startTopUp(request.ctx, request.body.amount)),
    );

    app.get(
      '/wallet/payout-methods',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'My payout methods',
          response: { 200: PayoutMethodList, ...problemResponses(401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        return { items: await service.payouts.methods(request.ctx) };
      },
    );

    app.post(
      '/wallet/payout-methods',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Add a bank account to be paid to (the sandbox; a Stripe Connect account with Stripe)',
          body: AddPayoutMethodBody,
          response: { 201: PayoutMethod, ...problemResponses(400, 401, 502) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.payouts.addMethod(request.ctx, request.body)),
    );

    app.delete(
      '/wallet/payout-methods/:methodId',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Remove a payout method (payouts already made to it stay as they are)',
          params: PayoutMethodParams,
          response: { 204: z.null(), ...problemResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        await service.payouts.removeMethod(request.ctx, request.params.methodId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/wallet/payouts',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'My payout requests, newest first',
          querystring: PayoutsQuery,
          response: { 200: PayoutPage, ...problemResponses(400, 401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        return service.payouts.list(request.ctx, request.query);
      },
    );

    app.post(
      '/wallet/payouts',
      {
        config: { idempotent: true },
        preHandler: requireActor,
        schema: {
          tags,
          summary:
            'Request a payout: the amount is reserved at once, sent after the new-seller hold, reviewed above the threshold (send an Idempotency-Key)',
          body: RequestPayoutBody,
          response: { 201: Payout, 200: Payout, ...problemResponses(400, 401, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const { payout, created } = await service.payouts.request(request.ctx, {
          amount: request.body.amount,
          methodId: request.body.methodId,
          idempotencyKey: String(request.headers['idempotency-key']),
        });
        return reply.code(created ? 201 : 200).send(payout);
      },
    );

    app.get(
      '/fx/rates',
      {
        schema: { tags, summary: 'Exchange rates (1 base = rate quote)', response: { 200: FxRateList } },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'public, max-age=60');
        return { items: await service.fx.list() };
      },
    );

    app.get(
      '/fx/convert',
      {
        schema: {
          tags,
          summary:
            'An amount in another currency, for display (orders always settle in the listing currency)',
          querystring: ConvertQuery,
          response: { 200: Converted, ...problemResponses(400, 404) },
        },
      },
      (request) =>
        service.fx.converted(
          { amountMinor: request.query.amountMinor, currency: request.query.from },
          request.query.to,
        ),
    );

    app.get(
      '/fees/quote',
      {
        schema: {
          tags,
          summary:
            'The commission and processing fee on a sale at this price (and category), and what the seller nets',
          querystring: FeeQuoteQuery,
          response: { 200: FeeQuote, ...problemResponses(400) },
        },
      },
      (request) =>
        service.fees.quoteView(
          { amountMinor: request.query.amountMinor, currency: request.query.currency },
          request.query.categoryId,
        ),
    );

    await app.register(walletsAdminRoutes(service));
  };
}
