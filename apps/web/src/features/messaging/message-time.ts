import { dateFormat } from '../../lib/format';

/** "14:05" today, "3 Mar" before: what an inbox row and a message bubble show. */
export function messageTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  return at.toDateString() === now.toDateString()
    ? dateFormat({ timeStyle: 'short' }).format(at)
    : dateFormat({ day: 'numeric', month: 'short' }).format(at);
}
