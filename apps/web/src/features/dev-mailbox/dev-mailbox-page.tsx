import type { DevMail, DevMailSummary } from '@souk/contracts';
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { dateFormat } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { isMailboxOff, useClearDevMailbox, useDevMail, useDevMailbox } from './mail-queries';

function MailTime({ iso, className }: { iso: string; className?: string }) {
  return (
    <time dateTime={iso} className={className}>
      {dateFormat({ dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso))}
    </time>
  );
}

/**
 * The HTML version is shown in a fully sandboxed frame, where links cannot be followed, so the
 * http(s) links of the text version are offered as ordinary links (to confirm an address, say).
 */
export function linksIn(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"'()[\]]+/g) ?? [];
  return [...new Set(found.map((link) => link.replace(/[.,;:!?]+$/, '')))];
}

function MailboxOff() {
  return (
    <div className="rounded-2xl border border-stone-200 bg-white px-6 py-10 text-center">
      <p className="font-semibold text-stone-800">
        <FormattedMessage id="dev-mailbox.devMailboxPage.devMailboxOff" />
      </p>
      <p className="mx-auto mt-1 max-w-lg text-sm text-stone-600">
        <FormattedMessage
          id="dev-mailbox.devMailboxPage.serverSendsItsMail"
          values={{ code: (chunks) => <code className="rounded bg-stone-100 px-1">{chunks}</code> }}
        />
      </p>
    </div>
  );
}

function MailListSkeleton() {
  return (
    <ul aria-hidden="true" className="space-y-2">
      {[0, 1, 2, 3].map((row) => (
        <li key={row} className="h-16 animate-pulse rounded-xl bg-stone-200/70" />
      ))}
    </ul>
  );
}

function MailList({ mails, selectedId }: { mails: DevMailSummary[]; selectedId: string | null }) {
  return (
    <ul className="divide-y divide-stone-200 overflow-hidden rounded-2xl border border-stone-200 bg-white">
      {mails.map((mail) => {
        const selected = mail.id === selectedId;
        return (
          <li key={mail.id}>
            <Link
              to={{ search: `?mail=${mail.id}` }}
              preventScrollReset
              aria-current={selected ? 'true' : undefined}
              className={`block px-4 py-3 hover:bg-brand-50 ${selected ? 'bg-brand-50 ring-2 ring-brand-500 ring-inset' : ''}`}
            >
              <span className="block truncate font-medium text-stone-900">{mail.subject}</span>
              <span className="mt-0.5 flex items-baseline justify-between gap-3 text-sm text-stone-600">
                <span className="truncate">
                  <FormattedMessage id="dev-mailbox.devMailboxPage.text" values={{ to: mail.to }} />
                </span>
                <MailTime iso={mail.createdAt} className="shrink-0 text-xs text-stone-500" />
              </span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function MailContent({ mail }: { mail: DevMail }) {
  const t = useT();
  const linksId = useId();
  const links = linksIn(mail.text);
  const articleRef = useRef<HTMLElement>(null);

  // On a phone the open mail sits below the list: bring it into view once it has loaded.
  useEffect(() => {
    if (window.matchMedia('(max-width: 1023px)').matches) {
      articleRef.current?.scrollIntoView({ block: 'start' });
    }
  }, []);

  return (
    <article ref={articleRef} className="scroll-mt-4 space-y-6">
      <header className="space-y-2">
        <h2 className="text-xl font-semibold text-stone-900 text-balance">{mail.subject}</h2>
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
          <dt className="text-stone-500">
            <FormattedMessage id="dev-mailbox.devMailboxPage.from" />
          </dt>
          <dd className="break-words text-stone-800">{mail.from}</dd>
          <dt className="text-stone-500">
            <FormattedMessage id="dev-mailbox.devMailboxPage.text2" />
          </dt>
          <dd className="break-words text-stone-800">{mail.to}</dd>
          <dt className="text-stone-500">
            <FormattedMessage id="dev-mailbox.devMailboxPage.kept" />
          </dt>
          <dd className="text-stone-800">
            <MailTime iso={mail.createdAt} />
          </dd>
        </dl>
      </header>

      {links.length > 0 && (
        <section aria-labelledby={linksId} className="rounded-xl border border-brand-200 bg-brand-50 p-4">
          <h3 id={linksId} className="text-sm font-semibold text-stone-900">
            <FormattedMessage id="dev-mailbox.devMailboxPage.linksMail" />
          </h3>
          <ul className="mt-2 space-y-1 text-sm">
            {links.map((link) => (
              <li key={link}>
                <a href={link} className="break-all font-medium text-brand-700 underline underline-offset-4">
                  {link}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="space-y-2">
        <h3 className="text-sm font-semibold text-stone-900">
          <FormattedMessage id="dev-mailbox.devMailboxPage.htmlVersion" />
        </h3>
        {/* sandbox="" runs no script and follows no link: the mail's markup is untrusted. */}
        <iframe
          title={t('dev-mailbox.devMailboxPage.htmlVersion2', { subject: mail.subject })}
          sandbox=""
          srcDoc={mail.html}
          className="h-[28rem] w-full rounded-xl border border-stone-200 bg-white"
        />
      </section>

      <section className="space-y-2">
        <h3 className="text-sm font-semibold text-stone-900">
          <FormattedMessage id="dev-mailbox.devMailboxPage.textVersion" />
        </h3>
        <pre className="max-h-96 overflow-auto rounded-xl border border-stone-200 bg-stone-50 p-4 font-mono text-sm whitespace-pre-wrap break-words text-stone-800">
          {mail.text}
        </pre>
      </section>
    </article>
  );
}

function MailView({ id }: { id: string }) {
  const t = useT();
  const mail = useDevMail(id);
  if (mail.isPending) {
    return <div aria-hidden="true" className="h-96 animate-pulse rounded-2xl bg-stone-200/70" />;
  }
  if (mail.isError) {
    const { error } = mail;
    // A malformed id (400) names no mail either.
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      return (
        <EmptyState title={t('dev-mailbox.devMailboxPage.mailGone')}>
          <p>
            <FormattedMessage id="dev-mailbox.devMailboxPage.wasClearedOrPushed" />
          </p>
        </EmptyState>
      );
    }
    return (
      <ErrorState
        title={t('dev-mailbox.devMailboxPage.weCouldntOpenMail')}
        message={describeError(error)}
        onRetry={() => void mail.refetch()}
        retrying={mail.isFetching}
      />
    );
  }
  return <MailContent mail={mail.data} />;
}

export function DevMailboxPage() {
  const t = useT();
  useDocumentTitle('Dev mailbox');
  const [searchParams, setSearchParams] = useSearchParams();
  const selectedId = searchParams.get('mail');
  const mailbox = useDevMailbox();
  const clear = useClearDevMailbox();

  const mails = mailbox.data?.pages.flatMap((page) => page.items) ?? [];
  const off = mailbox.isError && isMailboxOff(mailbox.error);

  function clearMailbox() {
    clear.mutate(undefined, { onSuccess: () => setSearchParams({}, { replace: true }) });
  }

  let body: ReactNode;
  if (mailbox.isPending) body = <MailListSkeleton />;
  else if (off) body = <MailboxOff />;
  else if (mailbox.isError) {
    body = (
      <ErrorState
        title={t('dev-mailbox.devMailboxPage.weCouldntLoadMailbox')}
        message={describeError(mailbox.error)}
        onRetry={() => void mailbox.refetch()}
        retrying={mailbox.isFetching}
      />
    );
  } else if (mails.length === 0) {
    body = (
      <EmptyState title={t('dev-mailbox.devMailboxPage.noMailYet')}>
        <p>
          <FormattedMessage id="dev-mailbox.devMailboxPage.mailAppSendsSuch" />
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <div className="grid gap-6 lg:grid-cols-[22rem_minmax(0,1fr)] lg:items-start">
        <div className="space-y-3">
          <MailList mails={mails} selectedId={selectedId} />
          {mailbox.hasNextPage && (
            <button
              type="button"
              onClick={() => void mailbox.fetchNextPage()}
              disabled={mailbox.isFetchingNextPage}
              className="w-full rounded-full border border-stone-300 px-4 py-2 text-sm font-semibold text-stone-800 hover:border-brand-500 hover:text-brand-700 disabled:cursor-wait disabled:opacity-70"
            >
              {mailbox.isFetchingNextPage
                ? t('common.loading')
                : t('dev-mailbox.devMailboxPage.loadOlderMail')}
            </button>
          )}
        </div>
        <div className="min-w-0 rounded-2xl border border-stone-200 bg-white p-5">
          {selectedId ? (
            <MailView key={selectedId} id={selectedId} />
          ) : (
            <p className="py-10 text-center text-stone-600">
              <FormattedMessage id="dev-mailbox.devMailboxPage.pickMailRead" />
            </p>
          )}
        </div>
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-2xl">
          <h1 className="text-2xl font-bold text-stone-900 sm:text-3xl">
            <FormattedMessage id="dev-mailbox.devMailboxPage.devMailbox" />
          </h1>
          {!off && (
            <p className="mt-1 text-stone-600">
              <FormattedMessage id="dev-mailbox.devMailboxPage.mailServerWouldHave" />
            </p>
          )}
        </div>
        {!off && mails.length > 0 && (
          <button
            type="button"
            onClick={clearMailbox}
            disabled={clear.isPending}
            className="shrink-0 rounded-full bg-brand-600 px-5 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:cursor-wait disabled:opacity-70"
          >
            {clear.isPending
              ? t('dev-mailbox.devMailboxPage.clearing')
              : t('dev-mailbox.devMailboxPage.clearMailbox')}
          </button>
        )}
      </header>
      {clear.isError && (
        <p role="alert" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          <FormattedMessage
            id="dev-mailbox.devMailboxPage.weCouldntClearMailbox"
            values={{ error: describeError(clear.error) }}
          />
        </p>
      )}
      {body}
    </div>
  );
}
