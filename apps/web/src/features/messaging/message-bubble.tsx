import type { Message, MessageImage } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { messageTime } from './message-time';

const WARNINGS = {
  contact_details:
    'This message contains contact details. Keep talking on Souk until you have agreed a sale: scammers move people elsewhere to avoid our protection.',
  payment_link:
    'This message asks for payment outside Souk (a payment link, transfer service or crypto wallet). Never pay before you have seen the item: this is how most scams work.',
} as const;

function srcSet(image: MessageImage): string {
  return image.variants
    .toSorted((a, b) => a.width - b.width)
    .map((variant) => `${variant.url} ${variant.width}w`)
    .join(', ');
}

function Photos({ images }: { images: MessageImage[] }) {
  const t = useT();
  return (
    <div className={`grid gap-1 ${images.length > 1 ? 'grid-cols-2' : ''}`}>
      {images.map((image) => {
        const largest = image.variants.toSorted((a, b) => b.width - a.width)[0];
        return (
          <a key={image.id} href={largest?.url} target="_blank" rel="noreferrer" className="block">
            <img
              src={image.variants[0]?.url}
              srcSet={srcSet(image)}
              sizes="(min-width: 640px) 280px, 60vw"
              alt={t('messaging.messageBubble.sentConversation')}
              width={image.width}
              height={image.height}
              loading="lazy"
              style={{ backgroundImage: `url(${image.placeholder})`, backgroundSize: 'cover' }}
              className="max-h-72 w-full rounded-xl object-cover"
            />
          </a>
        );
      })}
    </div>
  );
}

/** One message: mine on the right, theirs on the left with a safety warning when it carries one. */
export function MessageBubble({ message, mine, seen }: { message: Message; mine: boolean; seen: boolean }) {
  return (
    <li className={`flex flex-col ${mine ? 'items-end' : 'items-start'}`} data-testid="message">
      {!mine && message.safetyWarning && (
        <div
          role="note"
          data-testid="safety-warning"
          className="mb-1 max-w-[85%] rounded-xl border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-950"
        >
          <span className="font-semibold">
            <FormattedMessage id="messaging.messageBubble.beCareful" />{' '}
          </span>
          {WARNINGS[message.safetyWarning]}
        </div>
      )}
      <div
        className={`max-w-[85%] space-y-1 rounded-2xl px-3 py-2 text-sm sm:max-w-[70%] ${
          mine
            ? 'rounded-br-md bg-brand-600 text-white'
            : 'rounded-bl-md border border-stone-200 bg-white text-stone-900'
        }`}
      >
        {message.images.length > 0 && <Photos images={message.images} />}
        {message.text && <p className="break-words whitespace-pre-wrap">{message.text}</p>}
      </div>
      <p className="mt-0.5 px-1 text-[11px] text-stone-500">
        <time dateTime={message.createdAt}>{messageTime(message.createdAt)}</time>
        {mine && seen && (
          <span data-testid="seen">
            {' '}
            <FormattedMessage id="messaging.messageBubble.seen" />
          </span>
        )}
      </p>
    </li>
  );
}
