import type { Queryable } from '../db/database.js';
import type { Jobs } from '../jobs.js';
import type { Mailer, MailMessage } from './mailer.js';

export const MAIL_QUEUE = 'mail.send';

/**
 * Declares the queue that sends mail. Call once per process, before `jobs.start`. Mail goes
 * through a job so a request never waits on SMTP and a failed send is retried with backoff
 * (10 s, 20 s, 40 s... about 40 minutes in all) before pg-boss gives up on it.
 *
 * Every mail's Message-ID is its job's id (kept by every retry, and by the run on another worker
 * after a kill), unless the sender chose one: a mail sent twice, when a worker died between the
 * server's "250 accepted" and the job's completion, is recognisably the same mail.
 */
export function defineMailJob(jobs: Pick<Jobs, 'define'>, mailer: Pick<Mailer, 'send' | 'domain'>): void {
  jobs.define<MailMessage>(
    MAIL_QUEUE,
    (message, job) =>
      mailer.send({ ...message, messageId: message.messageId ?? messageIdOf(job.id, mailer.domain) }),
    {
      retryLimit: 8,
      retryDelaySeconds: 10,
      retryBackoff: true,
    },
  );
}

/** The Message-ID of the mail a `mail.send` job sends. */
export function messageIdOf(jobId: string, domain: string): string {
  return `<${jobId}@${domain}>`;
}

/**
 * Enqueues a mail. With `tx` it is enqueued inside that transaction: it is sent if and only if
 * the transaction commits (no "welcome" mail for a sign-up that rolled back).
 */
export async function sendMail(
  jobs: Pick<Jobs, 'send'>,
  message: MailMessage,
  options: { tx?: Queryable } = {},
): Promise<void> {
  assertSendable(message);
  const data: MailMessage = {
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    ...(message.headers ? { headers: message.headers } : {}),
    ...(message.messageId ? { messageId: message.messageId } : {}),
  };
  await jobs.send(MAIL_QUEUE, data, options.tx ? { tx: options.tx } : {});
}

/** Fails in the caller, not after eight retries in a worker, for a mail no server could take. */
function assertSendable(message: MailMessage): void {
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(message.to)) throw new Error('mail: "to" must be one plain address');
  if (/[\r\n]/.test(message.subject)) throw new Error('mail: the subject must be one line');
  if (!message.subject.trim()) throw new Error('mail: the subject is empty');
}
