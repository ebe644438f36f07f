import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { secondaryButton } from '../../ui/form/buttons';
import { useResendVerification } from '../auth/auth-queries';
import { DevMailboxHint } from '../auth/dev-mailbox-hint';

export function VerifyEmailBanner({ email }: { email: string }) {
  const t = useT();
  const resend = useResendVerification();
  return (
    <div className="rounded-2xl border border-amber-200 bg-amber-50 px-5 py-4 text-sm text-amber-950">
      <p className="font-semibold">
        <FormattedMessage id="account.verifyEmailBanner.confirmYourEMail" />
      </p>
      <p className="mt-1">
        <FormattedMessage
          id="account.verifyEmailBanner.weSentLinkSome"
          values={{ email, strong: (chunks) => <strong>{chunks}</strong> }}
        />
      </p>
      <div role="status" className="mt-2">
        {resend.isSuccess && t('account.verifyEmailBanner.weSentNewLink')}
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
          {resend.isPending
            ? t('account.verifyEmailBanner.sending')
            : t('account.verifyEmailBanner.sendNewLink')}
        </button>
      )}
    </div>
  );
}
