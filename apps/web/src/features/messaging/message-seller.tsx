import type { Listing } from '@souk/contracts';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link, useLocation, useNavigate } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { signInPath } from '../../lib/safe-next';
import { primaryButton } from '../../ui/form/buttons';
import { isEmailUnverified, VerifyEmailPrompt } from '../account/verify-email-prompt';
import { useSession } from '../auth/auth-queries';
import { useMessageSeller } from './messages-queries';

const OPENERS = ['Is it still available?', 'What is your best price?', 'Can I come and see it?'];

/** "Message seller" on a listing page: a first message, then on to the conversation. */
export function MessageSeller({ listing }: { listing: Listing }) {
  const t = useT();
  const { user, status } = useSession();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const start = useMessageSeller(listing.id);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(OPENERS[0] as string);
  if (!listing.contact.messages || listing.status !== 'active' || status === 'loading') return null;
  if (!user) {
    return (
      <Link to={signInPath(pathname)} className={`${primaryButton} w-full`}>
        <FormattedMessage id="messaging.messageSeller.signMessageSeller" />
      </Link>
    );
  }
  if (!open) {
    return (
      <button type="button" className={`${primaryButton} w-full`} onClick={() => setOpen(true)}>
        <FormattedMessage id="messaging.messageSeller.messageSeller" />
      </button>
    );
  }
  return (
    <form
      className="space-y-2 rounded-2xl border border-stone-200 bg-white p-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (!text.trim()) return;
        start.mutate(
          { text },
          { onSuccess: (result) => void navigate(`/messages/${result.conversation.id}`) },
        );
      }}
    >
      <div className="flex flex-wrap gap-1">
        {OPENERS.map((opener) => (
          <button
            key={opener}
            type="button"
            onClick={() => setText(opener)}
            className="rounded-full border border-stone-300 px-3 py-1 text-xs text-stone-700 hover:border-brand-500"
          >
            {opener}
          </button>
        ))}
      </div>
      <label htmlFor="message-seller" className="sr-only">
        <FormattedMessage
          id="messaging.messageSeller.yourMessage"
          values={{ displayName: listing.seller.displayName }}
        />
      </label>
      <textarea
        id="message-seller"
        value={text}
        maxLength={4000}
        rows={3}
        onChange={(event) => setText(event.target.value)}
        className="w-full rounded-xl border border-stone-300 px-3 py-2 text-base sm:text-sm"
      />
      <VerifyEmailPrompt action="write to sellers" error={start.error} />
      {start.isError && !isEmailUnverified(start.error) && (
        <p role="alert" className="text-sm text-red-700">
          {describeError(start.error)}
        </p>
      )}
      <button type="submit" disabled={start.isPending || !text.trim()} className={`${primaryButton} w-full`}>
        {start.isPending ? t('messaging.messageSeller.sending') : t('messaging.messageSeller.sendMessage')}
      </button>
    </form>
  );
}
