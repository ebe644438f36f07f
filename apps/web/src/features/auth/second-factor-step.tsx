import { type FormEvent, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { ApiError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { primaryButton, textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { type FieldErrors, formErrorsOf, mergeErrors } from '../../ui/form/form-errors';
import { SubmitButton } from '../../ui/form/submit-button';
import { TextField } from '../../ui/form/text-field';
import { useErrorFocus } from '../../ui/form/use-error-focus';
import { useSignInWithSecondFactor } from './auth-queries';

type SecondFactorStepProps = {
  mfaToken: string;
  /** The mfa token lasts five minutes; after that the password has to be entered again. */
  onExpired: () => void;
};

export function SecondFactorStep({ mfaToken, onExpired }: SecondFactorStepProps) {
  const t = useT();
  const [useRecovery, setUseRecovery] = useState(false);
  const verify = useSignInWithSecondFactor();
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState<object | null>(null);
  const field = useRecovery ? 'recoveryCode' : 'code';
  const errors = mergeErrors(
    clientErrors,
    formErrorsOf(verify.error, ['code', 'recoveryCode'], {
      invalid_mfa_code: {
        field,
        message: useRecovery ? 'is not right or was already used' : 'is not right; try the newest code',
      },
    }),
  );
  useErrorFocus(formRef, verify.error ?? attempt);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get(field) ?? '').trim();
    const found: FieldErrors = {};
    if (!useRecovery && !/^\d{6}$/.test(value)) found.code = 'enter the 6-digit code from your app';
    if (useRecovery && value.length < 8) found.recoveryCode = 'enter one of your recovery codes';
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      setAttempt({});
      return;
    }
    verify.mutate(useRecovery ? { mfaToken, recoveryCode: value } : { mfaToken, code: value }, {
      onError: (error) => {
        if (error instanceof ApiError && error.code === 'invalid_mfa_token') onExpired();
      },
    });
  }

  function toggle() {
    setUseRecovery((value) => !value);
    setClientErrors({});
    verify.reset();
  }

  return (
    <form ref={formRef} noValidate onSubmit={submit} className="space-y-5">
      {errors.message && <FormAlert tone="error">{errors.message}</FormAlert>}
      {useRecovery ? (
        <TextField
          key="recovery"
          label={t('auth.secondFactorStep.recoveryCode')}
          name="recoveryCode"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          placeholder={t('auth.secondFactorStep.xxxxXxxxXxxx')}
          hint={t('auth.secondFactorStep.eachRecoveryCodeWorks')}
          error={errors.fields.recoveryCode}
          autoFocus
        />
      ) : (
        <TextField
          key="code"
          label={t('auth.secondFactorStep.6DigitCode')}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          hint={t('auth.secondFactorStep.openYourAuthenticatorApp')}
          error={errors.fields.code}
          autoFocus
        />
      )}
      <SubmitButton
        pending={verify.isPending}
        pendingLabel={t('auth.secondFactorStep.checking')}
        className={`${primaryButton} w-full`}
      >
        <FormattedMessage id="auth.secondFactorStep.verifySign" />
      </SubmitButton>
      <button type="button" onClick={toggle} className={`${textLink} text-sm`}>
        {useRecovery
          ? t('auth.secondFactorStep.useCodeFromMy')
          : t('auth.secondFactorStep.useRecoveryCodeInstead')}
      </button>
    </form>
  );
}
