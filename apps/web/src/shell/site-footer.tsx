import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useDevMailboxEnabled } from '../features/dev-mailbox/mail-queries';
import { useT } from '../i18n/use-t';

const linkClass = 'rounded underline-offset-4 hover:text-brand-700 hover:underline';

export function SiteFooter() {
  const mailboxEnabled = useDevMailboxEnabled();
  const t = useT();
  return (
    <footer className="border-t border-stone-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-col gap-4 px-4 py-8 text-sm text-stone-600 sm:flex-row sm:items-center sm:justify-between">
        <p>
          <FormattedMessage id="shell.footer.tagline" />
        </p>
        <nav aria-label={t('shell.footer.label')}>
          <ul className="flex flex-wrap gap-x-6 gap-y-2">
            <li>
              {/* Served by the API, not a route of this app, so a full page load is wanted. */}
              <a href="/docs" className={linkClass}>
                <FormattedMessage id="shell.footer.apiDocs" />
              </a>
            </li>
            <li>
              <Link to="/about" className={linkClass}>
                <FormattedMessage id="shell.footer.about" />
              </Link>
            </li>
            {mailboxEnabled && (
              <li>
                <Link to="/dev/mailbox" className={linkClass}>
                  <FormattedMessage id="shell.footer.devMailbox" />
                </Link>
              </li>
            )}
          </ul>
        </nav>
      </div>
    </footer>
  );
}
