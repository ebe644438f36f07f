import { z } from 'zod';

/** The wallet settings, read from the environment by this module (decision 037). */
export const WalletsSettings = z.object({
  /** Days after an account is opened before its payouts are sent (the new-seller hold). */
  WALLET_PAYOUT_HOLD_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** How often due payouts are sent (cron, UTC). */
  WALLET_PAYOUT_CRON: z.string().min(9).default('* * * * *'),
  /** A rates file `{ base, rates }` to import from; the shipped reference rates without it. */
  FX_RATES_FILE: z.string().min(1).optional(),
  /** When rates are imported (cron, UTC). */
  FX_IMPORT_CRON: z.string().min(9).default('15 6 * * *'),
});
export type WalletsSettings = z.output<typeof WalletsSettings>;

export function loadWalletsSettings(env: NodeJS.ProcessEnv): WalletsSettings {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = WalletsSettings.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  throw new Error(`Invalid wallet configuration: ${problems.join('; ')}`);
}
