import { Link } from 'react-router';
import { textLink } from '../../ui/form/buttons';
import { useDevMailboxEnabled } from '../dev-mailbox/mail-queries';

/** On a development server mail is kept, not sent: point to where it can be read. */
export function DevMailboxHint() {
  const enabled = useDevMailboxEnabled();
  if (!enabled) return null;
  return (
    <p className="mt-4 rounded-xl bg-stone-100 px-4 py-3 text-sm text-stone-700">
      This server keeps its mail instead of sending it.{' '}
      <Link to="/dev/mailbox" className={textLink}>
        Open the dev mailbox
      </Link>
    </p>
  );
}
