import type { LoginResult } from '@souk/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useSignIn } from '../../api/auth';
import { type FieldErrors, formErrorsOf, mergeErrors } from '../../lib/form-errors';
import { primaryButton, textLink } from '../form/buttons';
import { FormAlert } from '../form/form-alert';
import { PasswordField } from '../form/password-field';
import { SubmitButton } from '../form/submit-button';
import { TextField } from '../form/text-field';
import { useErrorFocus } from '../form/use-error-focus';

const FIELDS = ['email', 'password'];

type PasswordStepProps = {
  notice?: string | null;
  onMfaRequired: (mfaToken: string) => void;
};

export function PasswordStep({ notice, onMfaRequired }: PasswordStepProps) {
  const signIn = useSignIn();
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState<object | null>(null);
  const errors = mergeErrors(clientErrors, formErrorsOf(signIn.error, FIELDS));
  useErrorFocus(formRef, signIn.error ?? attempt);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get('email') ?? '');
    const password = String(data.get('password') ?? '');
    const found: FieldErrors = {};
    if (!email.trim()) found.email = 'enter your e-mail address';
    if (!password) found.password = 'enter your password';
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      setAttempt({});
      return;
    }
    signIn.mutate(
      { email, password },
      {
        onSuccess: (result: LoginResult) => {
          if (result.status === 'mfa_required') onMfaRequired(result.mfaToken);
        },
      },
    );
  }

  return (
    <form ref={formRef} noValidate onSubmit={submit} className="space-y-5">
      {errors.message ? (
        <FormAlert tone="error">{errors.message}</FormAlert>
      ) : (
        notice && <FormAlert tone="info">{notice}</FormAlert>
      )}
      <TextField
        label="E-mail"
        name="email"
        type="email"
        inputMode="email"
        autoComplete="email"
        autoCapitalize="off"
        spellCheck={false}
        required
        error={errors.fields.email}
      />
      <PasswordField
        label="Password"
        name="password"
        autoComplete="current-password"
        required
        error={errors.fields.password}
        aside={
          <Link to="/forgot-password" className={`${textLink} text-sm`}>
            Forgot password?
          </Link>
        }
      />
      <SubmitButton
        pending={signIn.isPending}
        pendingLabel="Signing in…"
        className={`${primaryButton} w-full`}
      >
        Sign in
      </SubmitButton>
    </form>
  );
}
