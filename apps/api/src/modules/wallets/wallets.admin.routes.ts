import {
  FeeRule,
  FeeRuleList,
  FeeRuleParams,
  FxImportReport,
  FxPairParams,
  FxRate,
  FxRateList,
  Payout,
  PayoutPage,
  PayoutParams,
  PayoutsQuery,
  RejectPayoutBody,
  SetFeeRuleBody,
  SetFxRateBody,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { originOf } from '../audit/index.js';
import type { WalletsService } from './wallets.service.js';

const tags = ['wallets'];
const admin = requireRole('admin');

/** The operator's side: payout review, fee rules, exchange rates (the screens come with trust). */
export function walletsAdminRoutes(service: WalletsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/admin/payouts',
      {
        preHandler: admin,
        schema: {
          tags,
          summary: 'Payouts of every member, newest first; ?status=in_review is the review queue (admin)',
          querystring: PayoutsQuery,
          response: { 200: PayoutPage, ...problemResponses(400, 401, 403) },
        },
      },
      (request) => service.payouts.list(null, request.query),
    );

    app.post(
      '/admin/payouts/:payoutId/approve',
      {
        preHandler: admin,
        schema: {
          tags,
          summary: 'Approve a payout in review: it is sent once its hold is over (admin)',
          params: PayoutParams,
          response: { 200: Payout, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      (request) => service.payouts.approve(request.ctx, request.params.payoutId, originOf(request)),
    );

    app.post(
      '/admin/payouts/:payoutId/reject',
      {
        preHandler: admin,
        schema: {
          tags,
          summary: 'Reject a payout with a reason: the money goes back to the member (admin)',
          params: PayoutParams,
          body: RejectPayoutBody,
          response: { 200: Payout, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      (request) =>
        service.payouts.reject(request.ctx, request.params.payoutId, request.body.reason, originOf(request)),
    );

    app.get(
      '/admin/fees',
      {
        preHandler: admin,
        schema: {
          tags,
          summary: 'The fee rules (admin)',
          response: { 200: FeeRuleList, ...problemResponses(401, 403) },
        },
      },
      async () => ({ items: await service.fees.list() }),
    );

    app.put(
      '/admin/fees',
      {
        preHandler: admin,
        schema: {
          tags,
          summary: 'Set the commission or processing fee, global (categoryId null) or for a category (admin)',
          body: SetFeeRuleBody,
          response: { 200: FeeRule, ...problemResponses(400, 401, 403) },
        },
      },
      (request) => service.fees.set(request.ctx, request.body, originOf(request)),
    );

    app.delete(
      '/admin/fees/:ruleId',
      {
        preHandler: admin,
        schema: {
          tags,
          summary: 'Remove a fee rule (admin)',
          params: FeeRuleParams,
          response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await service.fees.remove(request.ctx, request.params.ruleId, originOf(request));
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/admin/fx-rates',
      {
        preHandler: admin,
        schema: {
          tags,
          summary: 'Exchange rates with their source (admin)',
          response: { 200: FxRateList, ...problemResponses(401, 403) },
        },
      },
      async () => ({ items: await service.fx.list() }),
    );

    app.put(
      '/admin/fx-rates/:base/:quote',
      {
        preHandler: admin,
        schema: {
          tags,
          summary: 'Set a rate: 1 base = rate quote (admin)',
          params: FxPairParams,
          body: SetFxRateBody,
          response: { 200: FxRate, ...problemResponses(400, 401, 403, 404) },
        },
      },
      (request) => service.fx.set(request.ctx, request.params, request.body.rate, originOf(request)),
    );

    app.delete(
      '/admin/fx-rates/:base/:quote',
      {
        preHandler: admin,
        schema: {
          tags,
          summary: 'Remove a rate (admin)',
          params: FxPairParams,
          response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await service.fx.remove(request.ctx, request.params, originOf(request));
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/admin/fx-rates/import',
      {
        preHandler: admin,
        schema: {
          tags,
          summary: 'Import rates from the rates provider now (admin; a daily job does it too)',
          response: { 200: FxImportReport, ...problemResponses(401, 403, 502) },
        },
      },
      (request) => service.fx.importRates({ ctx: request.ctx, origin: originOf(request) }),
    );
  };
}
