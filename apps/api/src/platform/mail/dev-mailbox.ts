import type { DevMail, DevMailList, DevMailSummary } from '@souk/contracts';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import {
  createDevMailboxRepository,
  type DevMailPosition,
  type DevMailRow,
} from './dev-mailbox.repository.js';
import { domainOf, type Mailer, type MailMessage } from './mailer.js';

/** The mailer used when no SMTP server is configured: it keeps mail for the dev mailbox page. */
export type DevMailbox = Mailer & {
  readonly kind: 'dev-mailbox';
  /** Newest first. Throws `invalid_cursor` for a cursor it did not hand out. */
  list(query: { limit: number; cursor?: string | undefined }): Promise<DevMailList>;
  get(id: string): Promise<DevMail | null>;
  clear(): Promise<void>;
};

export type DevMailboxOptions = {
  database: Pick<Database, 'db' | 'transaction'>;
  from: string;
  /** How many of the newest mails are kept; older ones are deleted as new ones arrive. */
  keep?: number;
};

export const DEV_MAILBOX_KEEP = 500;
const MAX_PAGE = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createDevMailbox(options: DevMailboxOptions): DevMailbox {
  const { database, from } = options;
  const keep = options.keep ?? DEV_MAILBOX_KEEP;
  const repository = createDevMailboxRepository();

  return {
    kind: 'dev-mailbox',
    domain: domainOf(from),
    async send(message: MailMessage) {
      await database.transaction(async (tx) => {
        // Set here, not by the database's now(): a JS Date holds milliseconds, so the cursor
        // built from it matches the stored value exactly (now() has microseconds).
        await repository.insert(tx, { ...message, from, createdAt: new Date() });
        await repository.trim(tx, keep);
      });
    },
    async list({ limit, cursor }) {
      const size = Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE);
      const after = decodePosition(cursor);
      // One extra row tells whether another page follows without a count query.
      const rows = await repository.list(database.db, size + 1, after);
      const page = rows.slice(0, size);
      const last = page.at(-1);
      return {
        items: page.map(toSummary),
        nextCursor: rows.length > size && last ? encodeCursor(positionOf(last)) : null,
      };
    },
    async get(id) {
      if (!UUID.test(id)) return null;
      const row = await repository.findById(database.db, id);
      return row ? toDevMail(row) : null;
    },
    async clear() {
      await repository.deleteAll(database.db);
    },
    async close() {},
  };
}

function toSummary(row: Pick<DevMailRow, 'id' | 'to' | 'from' | 'subject' | 'createdAt'>): DevMailSummary {
  return {
    id: row.id,
    to: row.to,
    from: row.from,
    subject: row.subject,
    createdAt: row.createdAt.toISOString(),
  };
}

function toDevMail(row: DevMailRow): DevMail {
  return { ...toSummary(row), text: row.text, html: row.html };
}

/** The last mail of a page: its time (epoch ms, as stored) and id, newest first. */
const MailboxPosition = z.object({ at: z.number().int().min(0).max(8.64e15), id: z.guid() });

const positionOf = (row: DevMailPosition) => ({ at: row.createdAt.getTime(), id: row.id });

function decodePosition(cursor: string | undefined): DevMailPosition | undefined {
  const detail = 'Use the nextCursor of a previous page, or leave cursor out.';
  const position = decodeCursor(cursor, MailboxPosition, detail);
  return position && { createdAt: new Date(position.at), id: position.id };
}
