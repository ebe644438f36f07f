import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { formErrorsOf, mergeErrors } from '../../ui/form/form-errors';
import { PasswordField } from '../../ui/form/password-field';
import { SubmitButton } from '../../ui/form/submit-button';
import { useErrorFocus } from '../../ui/form/use-error-focus';

export type PasswordConfirmFormProps = {
  /** False for accounts without a password: the API then needs none, so none is asked for. */
  askPassword: boolean;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: unknown;
  /** The password (null when none is asked) and the whole form, for extra fields. */
  onSubmit: (password: string | null, data: FormData) => void;
  onCancel?: () => void;
  /** Extra fields above the password, given the field errors to show. */
  extra?: (fieldErrors: Record<string, string>) => ReactNode;
  /** Client-side checks of the extra fields: field errors, empty when fine. */
  check?: (data: FormData) => Record<string, string>;
  submitClassName?: string;
};

export function PasswordConfirmForm({
  askPassword,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  onCancel,
  extra,
  check,
  submitClassName = primaryButton,
}: PasswordConfirmFormProps) {
  const t = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState<object | null>(null);
  const errors = mergeErrors(
    clientErrors,
    formErrorsOf(error, ['password', 'confirm'], {
      wrong_password: { field: 'password', message: 'is not right' },
    }),
  );
  useErrorFocus(formRef, error ?? attempt);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const password = String(data.get('password') ?? '');
    const found = check?.(data) ?? {};
    if (askPassword && !password) found.password = 'enter your password to confirm';
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      setAttempt({});
      return;
    }
    onSubmit(askPassword ? password : null, data);
  }

  return (
    <form ref={formRef} noValidate onSubmit={submit} className="space-y-4">
      {extra?.(errors.fields)}
      {askPassword && (
        <PasswordField
          label={t('account.passwordConfirmForm.yourPassword')}
          name="password"
          autoComplete="current-password"
          required
          error={errors.fields.password}
        />
      )}
      {errors.message && <FormAlert tone="error">{errors.message}</FormAlert>}
      <div className="flex flex-wrap gap-2">
        <SubmitButton pending={pending} pendingLabel={pendingLabel} className={submitClassName}>
          {submitLabel}
        </SubmitButton>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={pending} className={secondaryButton}>
            <FormattedMessage id="account.passwordConfirmForm.cancel" />
          </button>
        )}
      </div>
    </form>
  );
}
