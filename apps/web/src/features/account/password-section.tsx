import type { SessionUser } from '@souk/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { type FieldErrors, formErrorsOf, mergeErrors } from '../../ui/form/form-errors';
import { FormFooter } from '../../ui/form/form-footer';
import { MIN_PASSWORD, NewPasswordField, PasswordField } from '../../ui/form/password-field';
import { useErrorFocus } from '../../ui/form/use-error-focus';
import { useChangePassword, useForgotPassword } from '../auth/auth-queries';
import { AccountSection } from './account-section';

function ChangePasswordForm({ email }: { email: string }) {
  const t = useT();
  const change = useChangePassword();
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState<object | null>(null);
  const errors = mergeErrors(clientErrors, formErrorsOf(change.error, ['currentPassword', 'newPassword']));
  useErrorFocus(formRef, change.error ?? attempt);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const currentPassword = String(data.get('currentPassword') ?? '');
    const newPassword = String(data.get('newPassword') ?? '');
    const found: FieldErrors = {};
    if (!currentPassword) found.currentPassword = 'enter your current password';
    if (newPassword.length < MIN_PASSWORD) found.newPassword = `use at least ${MIN_PASSWORD} characters`;
    else if (newPassword === currentPassword) found.newPassword = 'must differ from the current one';
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      setAttempt({});
      return;
    }
    change.mutate({ currentPassword, newPassword }, { onSuccess: () => form.reset() });
  }

  return (
    <form ref={formRef} noValidate onSubmit={submit} className="space-y-5">
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <PasswordField
        label={t('account.passwordSection.currentPassword')}
        name="currentPassword"
        autoComplete="current-password"
        required
        error={errors.fields.currentPassword}
      />
      <NewPasswordField
        label={t('account.passwordSection.newPassword')}
        name="newPassword"
        error={errors.fields.newPassword}
      />
      <FormFooter
        error={errors.message}
        success={
          change.isSuccess && <FormattedMessage id="account.passwordSection.yourPasswordChangedYour" />
        }
        pending={change.isPending}
        pendingLabel={t('account.passwordSection.changing')}
      >
        <FormattedMessage id="account.passwordSection.changePassword" />
      </FormFooter>
    </form>
  );
}

/** Accounts made with a social sign-in have no password; the reset link sets a first one. */
function SetPassword({ email }: { email: string }) {
  const t = useT();
  const send = useForgotPassword();
  return (
    <div className="space-y-4">
      <p className="text-sm text-stone-700">
        <FormattedMessage id="account.passwordSection.youSignWithSocial" />
      </p>
      {send.isError && <FormAlert tone="error">{describeError(send.error)}</FormAlert>}
      {send.isSuccess ? (
        <FormAlert tone="success">
          <FormattedMessage
            id="account.passwordSection.weSentLink"
            values={{ email, strong: (chunks) => <strong>{chunks}</strong> }}
          />
        </FormAlert>
      ) : (
        <button
          type="button"
          onClick={() => send.mutate({ email })}
          disabled={send.isPending}
          className={secondaryButton}
        >
          {send.isPending ? t('account.passwordSection.sending') : t('account.passwordSection.eMailMeLink')}
        </button>
      )}
    </div>
  );
}

export function PasswordSection({ user }: { user: SessionUser }) {
  const t = useT();
  return (
    <AccountSection
      id="password"
      title={t('account.passwordSection.password')}
      description={user.hasPassword ? t('account.passwordSection.changingYourPasswordSigns') : undefined}
    >
      {user.hasPassword ? <ChangePasswordForm email={user.email} /> : <SetPassword email={user.email} />}
    </AccountSection>
  );
}
