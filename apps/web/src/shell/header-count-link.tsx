import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';

/** A round header link with an icon and an unread count badge (messages, notifications). */
export function HeaderCountLink({
  to,
  label,
  iconPath,
  count,
  testId,
  countTestId,
}: {
  to: string;
  label: string;
  /** One 24×24 outline path. */
  iconPath: string;
  count: number;
  testId: string;
  countTestId: string;
}) {
  return (
    <Link
      to={to}
      data-testid={testId}
      className="relative flex size-10 shrink-0 items-center justify-center rounded-full border border-stone-300 text-stone-700 hover:border-brand-500 hover:text-brand-700"
    >
      <svg
        viewBox="0 0 24 24"
        aria-hidden="true"
        className="size-5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
      >
        <path strokeLinecap="round" strokeLinejoin="round" d={iconPath} />
      </svg>
      <span className="sr-only">
        {label}
        {count > 0 && <FormattedMessage id="shell.unread" values={{ count }} />}
      </span>
      {count > 0 && (
        <span
          aria-hidden="true"
          data-testid={countTestId}
          className="absolute -top-1 -right-1 min-w-5 rounded-full bg-red-600 px-1.5 text-center text-xs leading-5 font-bold text-white"
        >
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
