import { z } from 'zod';
import { Id, IsoDateTime, pageOf } from './common.js';

// ---------------------------------------------------------------------------------------------
// The dev mailbox: where mail is kept instead of sent when no SMTP server is configured. Its
// endpoints exist only outside production, so a developer can read the mail the app "sent".
// ---------------------------------------------------------------------------------------------

/** A kept mail as the mailbox lists it: who, what and when, without the bodies. */
export const DevMailSummary = z
  .object({
    id: Id,
    to: z.string(),
    from: z.string(),
    subject: z.string(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'DevMailSummary' });
export type DevMailSummary = z.infer<typeof DevMailSummary>;

/** One kept mail with its plain-text and HTML versions. */
export const DevMail = DevMailSummary.extend({
  text: z.string(),
  html: z.string(),
}).meta({ id: 'DevMail' });
export type DevMail = z.infer<typeof DevMail>;

/** Newest first. */
export const DevMailList = pageOf(DevMailSummary);
export type DevMailList = z.infer<typeof DevMailList>;

export const DevMailListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(200).optional(),
});
export type DevMailListQuery = z.infer<typeof DevMailListQuery>;

export const DevMailIdParams = z.object({ id: Id });
export type DevMailIdParams = z.infer<typeof DevMailIdParams>;
