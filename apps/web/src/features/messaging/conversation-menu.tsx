import type { Conversation } from '@souk/contracts';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useNavigate } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useBlockUser, useDeleteConversation, useReportConversation } from './messages-queries';

const REASONS = [
  ['scam', 'Scam or fraud'],
  ['spam', 'Spam'],
  ['harassment', 'Harassment'],
  ['inappropriate', 'Inappropriate content'],
  ['other', 'Something else'],
] as const;

const itemClass = 'block w-full rounded-lg px-3 py-2.5 text-left text-sm hover:bg-stone-100';

function ReportForm({ conversation, onDone }: { conversation: Conversation; onDone: () => void }) {
  const t = useT();
  const report = useReportConversation(conversation.id);
  const [reason, setReason] = useState<(typeof REASONS)[number][0]>('scam');
  const [text, setText] = useState('');
  if (report.isSuccess) {
    return (
      <div role="status" className="p-3 text-sm text-stone-700">
        <FormattedMessage id="messaging.conversationMenu.thankYouOurModerators" />
        <button type="button" onClick={onDone} className="mt-2 block font-semibold text-brand-700">
          <FormattedMessage id="messaging.conversationMenu.close" />
        </button>
      </div>
    );
  }
  return (
    <form
      className="space-y-2 p-2"
      onSubmit={(event) => {
        event.preventDefault();
        report.mutate({ reason, text });
      }}
    >
      <p className="text-sm font-semibold text-stone-800">
        <FormattedMessage
          id="messaging.conversationMenu.report"
          values={{ displayName: conversation.otherParty.displayName }}
        />
      </p>
      <select
        aria-label={t('messaging.conversationMenu.reason')}
        value={reason}
        onChange={(event) => setReason(event.target.value as typeof reason)}
        className="w-full rounded-lg border border-stone-300 px-2 py-2 text-sm"
      >
        {REASONS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <textarea
        aria-label={t('messaging.conversationMenu.whatHappened')}
        value={text}
        maxLength={2000}
        rows={3}
        onChange={(event) => setText(event.target.value)}
        placeholder={t('messaging.conversationMenu.whatHappenedOptional')}
        className="w-full rounded-lg border border-stone-300 px-2 py-2 text-sm"
      />
      {report.isError && <p className="text-xs text-red-700">{describeError(report.error)}</p>}
      <div className="flex gap-2">
        <button
          type="submit"
          disabled={report.isPending}
          className="rounded-full bg-red-700 px-4 py-2 text-sm font-semibold text-white"
        >
          <FormattedMessage id="messaging.conversationMenu.sendReport" />
        </button>
        <button type="button" onClick={onDone} className="rounded-full px-4 py-2 text-sm text-stone-600">
          <FormattedMessage id="messaging.conversationMenu.cancel" />
        </button>
      </div>
    </form>
  );
}

/** Block or unblock the other party, report the conversation, delete it for me. */
export function ConversationMenu({ conversation }: { conversation: Conversation }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [reporting, setReporting] = useState(false);
  const block = useBlockUser();
  const remove = useDeleteConversation();
  const navigate = useNavigate();
  const name = conversation.otherParty.displayName;
  return (
    <div className="relative shrink-0">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
        className="flex size-10 items-center justify-center rounded-full text-stone-600 hover:bg-stone-100"
      >
        <svg viewBox="0 0 20 20" aria-hidden="true" className="size-5" fill="currentColor">
          <path d="M10 3a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm0 5.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm1.5 7a1.5 1.5 0 1 0-3 0 1.5 1.5 0 0 0 3 0Z" />
        </svg>
        <span className="sr-only">
          <FormattedMessage id="messaging.conversationMenu.conversationOptions" />
        </span>
      </button>
      {open && (
        <div className="absolute right-0 z-30 mt-1 w-72 rounded-2xl border border-stone-200 bg-white p-2 shadow-lg">
          {reporting ? (
            <ReportForm
              conversation={conversation}
              onDone={() => {
                setReporting(false);
                setOpen(false);
              }}
            />
          ) : (
            <ul>
              <li>
                <button
                  type="button"
                  className={itemClass}
                  disabled={block.isPending}
                  onClick={() =>
                    block.mutate(
                      { userId: conversation.otherParty.id, block: !conversation.blockedByMe },
                      { onSuccess: () => setOpen(false) },
                    )
                  }
                >
                  {conversation.blockedByMe
                    ? t('messaging.conversationMenu.unblock', { name })
                    : t('messaging.conversationMenu.block', { name })}
                </button>
              </li>
              <li>
                <button type="button" className={itemClass} onClick={() => setReporting(true)}>
                  <FormattedMessage id="messaging.conversationMenu.reportConversation" />
                </button>
              </li>
              <li>
                <button
                  type="button"
                  className={`${itemClass} text-red-700`}
                  disabled={remove.isPending}
                  onClick={() =>
                    remove.mutate(conversation.id, {
                      onSuccess: () => void navigate('/messages', { replace: true }),
                    })
                  }
                >
                  <FormattedMessage id="messaging.conversationMenu.deleteConversation" />
                </button>
              </li>
            </ul>
          )}
          {(block.isError || remove.isError) && (
            <p className="px-3 py-1 text-xs text-red-700">{describeError(block.error ?? remove.error)}</p>
          )}
        </div>
      )}
    </div>
  );
}
