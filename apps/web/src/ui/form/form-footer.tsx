import type { ReactNode } from 'react';
import { FormAlert } from './form-alert';
import { SubmitButton } from './submit-button';

type FormFooterProps = {
  /** What went wrong, shown above the button (nothing when falsy). */
  error?: ReactNode;
  /** That it worked, shown above the button (nothing when falsy). */
  success?: ReactNode;
  pending: boolean;
  pendingLabel: string;
  /** The button's label. */
  children: ReactNode;
};

/** The end of a form that saves in place (the account's sections): its outcome, then its button. */
export function FormFooter({ error, success, pending, pendingLabel, children }: FormFooterProps) {
  return (
    <>
      {error && <FormAlert tone="error">{error}</FormAlert>}
      {success && <FormAlert tone="success">{success}</FormAlert>}
      <SubmitButton pending={pending} pendingLabel={pendingLabel}>
        {children}
      </SubmitButton>
    </>
  );
}
