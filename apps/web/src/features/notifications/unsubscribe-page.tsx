import { Link, useSearchParams } from 'react-router';
import { describeError } from '../../api/client';
import { useDocumentTitle } from '../../lib/use-document-title';
import { primaryButton, textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { AuthCard } from '../auth/auth-card';
import { useUnsubscribe } from './notifications-queries';

/**
 * The landing page of the "stop these mails" link. Opening it changes nothing (mail scanners open
 * links); one click on the button does, without signing in: the token in the link is signed.
 */
export function UnsubscribePage() {
  useDocumentTitle('Unsubscribe');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const unsubscribe = useUnsubscribe();

  if (unsubscribe.isSuccess) {
    return (
      <AuthCard title="You are unsubscribed">
        <FormAlert tone="success">
          No more e-mails about <strong>{unsubscribe.data.label.toLowerCase()}</strong>.
        </FormAlert>
        <p className="mt-4 text-sm text-stone-600">
          Changed your mind? Turn it back on in your{' '}
          <Link to="/account#notifications" className={textLink}>
            notification settings
          </Link>
          .
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Unsubscribe from these e-mails"
      intro="One click and this kind of e-mail stops. Your account stays as it is."
    >
      {!token && (
        <FormAlert tone="error">This link is incomplete. Use the link from the e-mail as it is.</FormAlert>
      )}
      {unsubscribe.isError && <FormAlert tone="error">{describeError(unsubscribe.error)}</FormAlert>}
      <button
        type="button"
        className={`${primaryButton} mt-4 w-full`}
        disabled={!token || unsubscribe.isPending}
        onClick={() => unsubscribe.mutate(token)}
      >
        {unsubscribe.isPending ? 'Unsubscribing…' : 'Unsubscribe'}
      </button>
    </AuthCard>
  );
}
