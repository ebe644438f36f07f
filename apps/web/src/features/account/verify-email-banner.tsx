import { describeError } from '../../api/client';
import { secondaryButton } from '../../ui/form/buttons';
import { useResendVerification } from '../auth/auth-queries';
import { DevMailboxHint } from '../auth/dev-mailbox-hint';

export function VerifyEmailBanner({ email }: { email: string }) {
  const resend = useResendVerification();
  return (
    <div className="rounded-2xl border border-amber-200 bg-amber-50 px-5 py-4 text-sm text-amber-950">
      <p className="font-semibold">Confirm your e-mail address</p>
      <p className="mt-1">
        We sent a link to <strong>{email}</strong>. Some features wait until you open it.
      </p>
      <div role="status" className="mt-2">
        {resend.isSuccess && 'We sent a new link.'}
        {resend.isError && describeError(resend.error)}
      </div>
      {resend.isSuccess ? (
        <DevMailboxHint />
      ) : (
        <button
          type="button"
          onClick={() => resend.mutate()}
          disabled={resend.isPending}
          className={`${secondaryButton} mt-3`}
        >
          {resend.isPending ? 'Sending…' : 'Send a new link'}
        </button>
      )}
    </div>
  );
}
