import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { textLink } from '../../ui/form/buttons';
import { useDevMailboxEnabled } from '../dev-mailbox/mail-queries';

/** On a development server mail is kept, not sent: point to where it can be read. */
export function DevMailboxHint() {
  const enabled = useDevMailboxEnabled();
  if (!enabled) return null;
  return (
    <p className="mt-4 rounded-xl bg-stone-100 px-4 py-3 text-sm text-stone-700">
      <FormattedMessage
        id="auth.devMailboxHint.serverKeepsItsMail"
        values={{
          link: (chunks) => (
            <Link to="/dev/mailbox" className={textLink}>
              {chunks}
            </Link>
          ),
        }}
      />
    </p>
  );
}
