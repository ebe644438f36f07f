import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';

export function SoukMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 512 512" aria-hidden="true" focusable="false" className={className}>
      <rect width="512" height="512" rx="112" fill="#c04a26" />
      <path d="M176 400V256c0-56 40-96 80-136 40 40 80 80 80 136v144z" fill="#fdf5f0" />
      <path d="M216 400V268c0-32 20-56 40-76 20 20 40 44 40 76v132z" fill="#9f3b21" />
      <rect x="136" y="392" width="240" height="24" rx="12" fill="#fdf5f0" />
    </svg>
  );
}

export function SoukLogo() {
  return (
    <Link to="/" className="flex shrink-0 items-center gap-2 rounded-lg text-stone-900">
      <SoukMark className="size-9" />
      <span className="text-2xl font-bold tracking-tight">
        <FormattedMessage id="shell.siteName" />
      </span>
      <span className="sr-only">
        <FormattedMessage id="shell.logoHome" />
      </span>
    </Link>
  );
}
