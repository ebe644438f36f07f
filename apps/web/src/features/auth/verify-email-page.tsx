import { Link, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useDocumentTitle } from '../../lib/use-document-title';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { AuthCard } from './auth-card';
import { useResendVerification, useSession, useVerifyEmail } from './auth-queries';
import { DevMailboxHint } from './dev-mailbox-hint';

function ResendLink() {
  const { user, status } = useSession();
  const resend = useResendVerification();
  if (status === 'loading') return null;
  if (!user) {
    return (
      <Link to="/sign-in?next=%2Faccount" className={`${primaryButton} mt-6 w-full`}>
        Sign in to get a new link
      </Link>
    );
  }
  if (user.emailVerified) {
    return (
      <>
        <p className="mt-4 text-stone-700">Good news: your address is already confirmed.</p>
        <Link to="/" className={`${primaryButton} mt-6 w-full`}>
          Continue to Souk
        </Link>
      </>
    );
  }
  if (resend.isSuccess) {
    return (
      <div className="mt-6">
        <FormAlert tone="success">
          We sent a new link to <strong>{user.email}</strong>.
        </FormAlert>
        <DevMailboxHint />
      </div>
    );
  }
  return (
    <div className="mt-6 space-y-4">
      {resend.isError && <FormAlert tone="error">{describeError(resend.error)}</FormAlert>}
      <button
        type="button"
        onClick={() => resend.mutate()}
        disabled={resend.isPending}
        className={`${primaryButton} w-full`}
      >
        {resend.isPending ? 'Sending…' : 'Send a new link'}
      </button>
    </div>
  );
}

export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const verification = useVerifyEmail(token);
  const { user } = useSession();
  const failed = !token || verification.isError;
  useDocumentTitle(failed ? 'Link not valid' : 'Confirm your e-mail');

  if (failed) {
    const linkProblem =
      !token || (verification.error instanceof ApiError && verification.error.code === 'invalid_token');
    return (
      <AuthCard title="This link does not work">
        <p className="text-stone-700">
          {linkProblem
            ? 'The confirmation link has expired or was already used. Links work once, for a limited time.'
            : describeError(verification.error)}
        </p>
        <ResendLink />
      </AuthCard>
    );
  }

  if (verification.isPending) {
    return (
      <AuthCard title="Confirm your e-mail">
        <p role="status" className="text-stone-700">
          Confirming your e-mail address…
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Your e-mail is confirmed">
      <FormAlert tone="success">Thank you. Your e-mail address is confirmed.</FormAlert>
      <div className="mt-6 flex flex-col gap-3">
        {user ? (
          <Link to="/" className={`${primaryButton} w-full`}>
            Continue to Souk
          </Link>
        ) : (
          <>
            <Link to="/sign-in" className={`${primaryButton} w-full`}>
              Sign in
            </Link>
            <Link to="/" className={`${secondaryButton} w-full`}>
              Go to the home page
            </Link>
          </>
        )}
      </div>
    </AuthCard>
  );
}
