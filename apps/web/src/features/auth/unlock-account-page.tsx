import { Link, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useDocumentTitle } from '../../lib/use-document-title';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { AuthCard } from './auth-card';
import { useUnlockAccount } from './auth-queries';

/** Where the mailed unlock link lands: this browser can sign in to the account again. */
export function UnlockAccountPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const unlock = useUnlockAccount(token);
  const failed = !token || unlock.isError;
  useDocumentTitle(failed ? 'Link not valid' : 'Sign in again');

  if (failed) {
    const linkProblem = !token || (unlock.error instanceof ApiError && unlock.error.code === 'invalid_token');
    return (
      <AuthCard title="This link does not work">
        <p className="text-stone-700">
          {linkProblem
            ? 'The unlock link has expired or was already used. Links work once, for an hour: ask for a new one on the sign-in page.'
            : describeError(unlock.error)}
        </p>
        <Link to="/sign-in" className={`${primaryButton} mt-6 w-full`}>
          Go to sign in
        </Link>
      </AuthCard>
    );
  }

  if (unlock.isPending) {
    return (
      <AuthCard title="Sign in again">
        <p role="status" className="text-stone-700">
          Unlocking sign-in for this browser…
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="This browser can sign in again">
      <FormAlert tone="success">
        Sign in with your password as usual. If you did not try those passwords yourself, consider changing
        your password once you are in.
      </FormAlert>
      <div className="mt-6 flex flex-col gap-3">
        <Link to="/sign-in" className={`${primaryButton} w-full`}>
          Sign in
        </Link>
        <Link to="/forgot-password" className={`${secondaryButton} w-full`}>
          Reset my password instead
        </Link>
      </div>
    </AuthCard>
  );
}
