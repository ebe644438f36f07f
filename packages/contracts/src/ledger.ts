import { z } from 'zod';
import { Id, IsoDateTime } from './common.js';

/*
 * The ledger's public and admin read shapes (decision 035). Members' wallet routes are the
 * wallets module's; these are the auditor's (digests) and the operator's (balances, holds, verify).
 */

/** A day's ledger chain head, signed with Souk's Ed25519 key. */
export const LedgerDigest = z
  .object({
    day: z.string().describe('UTC day (YYYY-MM-DD) this digest closes'),
    blockNumber: z.number().int().describe('The newest sealed block at signing (0: none yet)'),
    lastSeq: z.number().int().describe('The last entry that block covers'),
    headHash: z.string().describe('That block hash (sha256, hex)'),
    keyId: z.string(),
    signature: z
      .string()
      .describe(
        'Ed25519 over "souk-ledger-digest/v1\\n{day}\\n{blockNumber}\\n{lastSeq}\\n{headHash}", base64url',
      ),
    signedAt: IsoDateTime,
  })
  .meta({ id: 'LedgerDigest' });
export type LedgerDigest = z.infer<typeof LedgerDigest>;

export const LedgerDigestsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(366).default(30),
  cursor: z.string().max(200).optional(),
});

export const LedgerDigestList = z
  .object({
    /** The key to verify every signature with (JWK, kty OKP, crv Ed25519). */
    publicKey: z.object({
      kid: z.string(),
      kty: z.string(),
      crv: z.string(),
      x: z.string(),
      alg: z.literal('EdDSA'),
    }),
    items: z.array(LedgerDigest),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'LedgerDigestList' });
export type LedgerDigestList = z.infer<typeof LedgerDigestList>;

export const LedgerOwnerQuery = z.object({
  ownerType: z.enum(['member', 'platform', 'provider']),
  ownerId: z.string().max(100).default(''),
});

export const LedgerBalance = z
  .object({ accountId: Id, currency: z.string(), kind: z.string(), balance: z.number().int() })
  .meta({ id: 'LedgerBalance' });
export const LedgerBalanceList = z
  .object({ items: z.array(LedgerBalance) })
  .meta({ id: 'LedgerBalanceList' });

export const LedgerHoldParams = z.object({ holdId: Id });
export const LedgerHold = z
  .object({
    id: Id,
    status: z.enum(['pending', 'posted', 'voided']),
    reference: z.object({ type: z.string(), id: z.string() }),
    currency: z.string(),
    amount: z.number().int(),
    postedAmount: z.number().int(),
    expiresAt: IsoDateTime.nullable(),
    voidReason: z.string().nullable(),
    createdAt: IsoDateTime,
    resolvedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'LedgerHold' });

export const LedgerVerifyReport = z
  .object({
    ok: z.boolean(),
    entries: z.number().int(),
    blocks: z.number().int(),
    firstBadEntry: z.object({ id: z.string(), seq: z.number().int(), transferId: z.string() }).optional(),
    firstBadBlock: z
      .object({
        number: z.number().int(),
        firstSeq: z.number().int(),
        lastSeq: z.number().int(),
        problem: z.string(),
      })
      .optional(),
    balanceMismatches: z.array(
      z.object({ accountId: z.string(), stored: z.number(), fromEntries: z.number() }),
    ),
    unbalancedTransfers: z.array(z.string()),
    currencyTotals: z.array(z.object({ currency: z.string(), total: z.number() })),
    durationMs: z.number(),
  })
  .meta({ id: 'LedgerVerifyReport' });
