import { MESSAGE_MAX_IMAGES, MESSAGE_MAX_LENGTH, type SendMessageBody } from '@souk/contracts';
import { type FormEvent, type KeyboardEvent, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { sendTyping, uploadMessageImages, useQuickReplies, useQuickReplyChanges } from './messages-queries';

const TYPING_EVERY_MS = 3000;

type ComposerProps = {
  conversationId: string;
  disabled: boolean;
  sending: boolean;
  onSend: (body: SendMessageBody) => Promise<unknown>;
};

function QuickReplies({ onPick, onClose }: { onPick: (id: string) => void; onClose: () => void }) {
  const t = useT();
  const replies = useQuickReplies(true);
  const { create, remove } = useQuickReplyChanges();
  const [draft, setDraft] = useState('');
  return (
    <div
      className="mb-2 rounded-2xl border border-stone-200 bg-white p-3 shadow-sm"
      data-testid="quick-replies"
    >
      <div className="mb-2 flex items-center justify-between">
        <p className="text-sm font-semibold text-stone-800">
          <FormattedMessage id="messaging.composer.quickReplies" />
        </p>
        <button type="button" onClick={onClose} className="text-sm text-stone-500 hover:text-stone-800">
          <FormattedMessage id="messaging.composer.close" />
        </button>
      </div>
      {replies.isPending && (
        <p className="text-sm text-stone-500">
          <FormattedMessage id="common.loading" />
        </p>
      )}
      {replies.data?.length === 0 && (
        <p className="text-sm text-stone-500">
          <FormattedMessage id="messaging.composer.saveAnswersYouGive" />
        </p>
      )}
      <ul className="max-h-48 space-y-1 overflow-y-auto">
        {replies.data?.map((reply) => (
          <li key={reply.id} className="flex items-center gap-2">
            <button
              type="button"
              onClick={() => onPick(reply.id)}
              className="min-w-0 flex-1 truncate rounded-lg bg-stone-100 px-3 py-2 text-left text-sm text-stone-800 hover:bg-brand-50"
            >
              {reply.text}
            </button>
            <button
              type="button"
              aria-label={t('messaging.composer.deleteQuickReply', { text: reply.text })}
              onClick={() => remove.mutate(reply.id)}
              className="shrink-0 rounded-full px-2 text-stone-400 hover:text-red-700"
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        className="mt-2 flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (draft.trim()) create.mutate(draft.trim(), { onSuccess: () => setDraft('') });
        }}
      >
        <input
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          maxLength={500}
          placeholder={t('messaging.composer.newQuickReply')}
          aria-label={t('messaging.composer.newQuickReply')}
          className="min-w-0 flex-1 rounded-lg border border-stone-300 px-3 py-2 text-sm"
        />
        <button
          type="submit"
          disabled={create.isPending}
          className="rounded-lg bg-stone-800 px-3 text-sm text-white"
        >
          <FormattedMessage id="messaging.composer.save" />
        </button>
      </form>
      {create.isError && <p className="mt-1 text-xs text-red-700">{describeError(create.error)}</p>}
    </div>
  );
}

/** Text box, photo button and quick replies; sends "typing" at most every few seconds. */
export function Composer({ conversationId, disabled, sending, onSend }: ComposerProps) {
  const t = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [showReplies, setShowReplies] = useState(false);
  const lastTyping = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const busy = disabled || sending || uploading;

  async function send(body: SendMessageBody) {
    setError(null);
    try {
      await onSend(body);
      return true;
    } catch (failure) {
      setError(describeError(failure));
      return false;
    }
  }

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!text.trim() || busy) return;
    if (await send({ text })) setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends on a keyboard; Shift+Enter (and phones, whose Enter is a line break) add a line.
    if (
      event.key === 'Enter' &&
      !event.shiftKey &&
      !event.nativeEvent.isComposing &&
      window.matchMedia('(pointer: fine)').matches
    ) {
      event.preventDefault();
      void submit();
    }
  }

  async function onFiles(files: FileList | null) {
    const picked = [...(files ?? [])].slice(0, MESSAGE_MAX_IMAGES);
    if (picked.length === 0) return;
    setUploading(true);
    setError(null);
    try {
      const uploaded = await uploadMessageImages(picked);
      if (await send({ text, imageIds: uploaded.items.map((image) => image.id) })) setText('');
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  }

  return (
    <div className="border-t border-stone-200 bg-stone-50 p-2">
      {showReplies && (
        <QuickReplies
          onClose={() => setShowReplies(false)}
          onPick={(quickReplyId) => {
            setShowReplies(false);
            void send({ quickReplyId });
          }}
        />
      )}
      {error && (
        <p role="alert" className="mb-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <form onSubmit={submit} className="flex items-end gap-2">
        <button
          type="button"
          disabled={busy}
          onClick={() => fileInput.current?.click()}
          className="flex size-10 shrink-0 items-center justify-center rounded-full text-stone-600 hover:bg-stone-200 disabled:opacity-50"
          aria-label={t('messaging.composer.sendPhotos')}
        >
          <svg
            viewBox="0 0 24 24"
            aria-hidden="true"
            className="size-6"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
          >
            <path
              strokeLinecap="round"
              strokeLinejoin="round"
              d="M2.25 15.75 7.5 10.5a2.25 2.25 0 0 1 3.18 0l5.07 5.07m-1.5-1.5 1.42-1.42a2.25 2.25 0 0 1 3.18 0l2.9 2.9M3.75 19.5h16.5a1.5 1.5 0 0 0 1.5-1.5V6a1.5 1.5 0 0 0-1.5-1.5H3.75A1.5 1.5 0 0 0 2.25 6v12a1.5 1.5 0 0 0 1.5 1.5Zm10.5-11.25h.01v.01h-.01V8.25Z"
            />
          </svg>
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="image/*"
          multiple
          hidden
          onChange={(event) => void onFiles(event.target.files)}
        />
        <button
          type="button"
          disabled={busy}
          onClick={() => setShowReplies((value) => !value)}
          aria-expanded={showReplies}
          className="flex h-10 shrink-0 items-center rounded-full px-2 text-xs font-semibold text-stone-600 hover:bg-stone-200 disabled:opacity-50"
        >
          <FormattedMessage
            id="messaging.composer.quickReplies2"
            values={{ span: (chunks) => <span className="sr-only">{chunks}</span> }}
          />
        </button>
        <label className="sr-only" htmlFor={`composer-${conversationId}`}>
          <FormattedMessage id="messaging.composer.message" />
        </label>
        <textarea
          id={`composer-${conversationId}`}
          value={text}
          rows={1}
          maxLength={MESSAGE_MAX_LENGTH}
          disabled={disabled}
          placeholder={
            disabled ? t('messaging.composer.youCannotSendMessages') : t('messaging.composer.writeMessage')
          }
          onKeyDown={onKeyDown}
          onChange={(event) => {
            setText(event.target.value);
            const now = Date.now();
            if (event.target.value && now - lastTyping.current > TYPING_EVERY_MS) {
              lastTyping.current = now;
              sendTyping(conversationId);
            }
          }}
          className="max-h-32 min-h-10 min-w-0 flex-1 resize-none rounded-2xl border border-stone-300 bg-white px-3 py-2 text-base sm:text-sm"
        />
        <button
          type="submit"
          disabled={busy || !text.trim()}
          className="h-10 shrink-0 rounded-full bg-brand-600 px-4 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-50"
        >
          {uploading ? t('messaging.composer.uploading') : t('messaging.composer.send')}
        </button>
      </form>
    </div>
  );
}
