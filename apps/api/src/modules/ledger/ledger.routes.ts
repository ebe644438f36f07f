import {
  LedgerBalanceList,
  LedgerDigestList,
  LedgerDigestsQuery,
  LedgerHold,
  LedgerHoldParams,
  LedgerOwnerQuery,
  LedgerVerifyReport,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import { requireRole } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { LedgerAudit } from './ledger.audit.js';
import { ledgerError } from './ledger.errors.js';
import { ownerOf } from './ledger.rules.js';
import type { LedgerService } from './ledger.types.js';

const adminOnly = requireRole('admin');
const DigestPosition = z.object({ day: z.iso.date() });

/**
 * The auditor's digests (public: anyone may check Souk's history against what they kept) and the
 * operator's reads. Members' wallet routes belong to the wallets module.
 */
export function ledgerRoutes(deps: {
  service: LedgerService;
  audit: LedgerAudit;
  database: Pick<Database, 'db'>;
}): FastifyPluginAsyncZod {
  const { service, audit, database } = deps;
  return async (app) => {
    app.get(
      '/ledger/digests',
      {
        schema: {
          tags: ['ledger'],
          summary: "Each day's ledger chain head, signed with Souk's Ed25519 key (newest first)",
          querystring: LedgerDigestsQuery,
          response: { 200: LedgerDigestList, ...problemResponses(400) },
        },
      },
      async (request) => {
        const position = decodeCursor(request.query.cursor, DigestPosition);
        const rows = await audit.digests(database.db, {
          beforeDay: position?.day,
          limit: request.query.limit + 1,
        });
        const items = rows.slice(0, request.query.limit);
        const last = items.at(-1);
        return {
          publicKey: { kid: audit.signer.keyId, ...audit.signer.publicJwk, alg: 'EdDSA' as const },
          items: items.map((digest) => ({ ...digest, signedAt: digest.signedAt.toISOString() })),
          nextCursor: rows.length > request.query.limit && last ? encodeCursor({ day: last.day }) : null,
        };
      },
    );

    app.get(
      '/admin/ledger/balances',
      {
        preHandler: adminOnly,
        schema: {
          tags: ['ledger'],
          summary: "An owner's ledger accounts and balances (admin)",
          querystring: LedgerOwnerQuery,
          response: { 200: LedgerBalanceList, ...problemResponses(400, 401, 403) },
        },
      },
      async (request) => ({
        items: await service.balances(database.db, ownerOf(request.query.ownerType, request.query.ownerId)),
      }),
    );

    app.get(
      '/admin/ledger/holds/:holdId',
      {
        preHandler: adminOnly,
        schema: {
          tags: ['ledger'],
          summary: 'A hold and its state (admin)',
          params: LedgerHoldParams,
          response: { 200: LedgerHold, ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const hold = await service.getHold(database.db, request.params.holdId);
        if (!hold) throw ledgerError('hold_not_found');
        return {
          ...hold,
          expiresAt: hold.expiresAt?.toISOString() ?? null,
          createdAt: hold.createdAt.toISOString(),
          resolvedAt: hold.resolvedAt?.toISOString() ?? null,
        };
      },
    );

    app.post(
      '/admin/ledger/verify',
      {
        preHandler: adminOnly,
        schema: {
          tags: ['ledger'],
          summary: 'Recompute every hash, block and balance from the entries (admin; slow on a large ledger)',
          response: { 200: LedgerVerifyReport, ...problemResponses(401, 403) },
        },
      },
      () => service.verify(database.db),
    );
  };
}
