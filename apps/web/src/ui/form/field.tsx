import { type ReactNode, useId } from 'react';
import { fieldControl, fieldHelp, fieldLabel } from '../field-styles';
import { fieldMessage } from './field-message';

/** What a field's control needs to be labelled, described and marked invalid. */
export type FieldControl = {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
  className: string;
};

type FieldProps = {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
  /** Something beside the label, such as a "Forgot password?" link. */
  aside?: ReactNode;
  /** The control itself (input, textarea, select...), given its id and ARIA wiring. */
  children: (control: FieldControl) => ReactNode;
};

/**
 * The markup every form field shares: the label, the control, a hint and an error the control is
 * described by. TextField, TextAreaField, SelectField and PasswordField differ only in the control.
 */
export function Field({ label, hint, error, className = '', aside, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  const labelElement = (
    <label htmlFor={id} className={fieldLabel}>
      {label}
    </label>
  );
  return (
    <div className={className}>
      {aside ? (
        <div className="flex items-baseline justify-between gap-3">
          {labelElement}
          {aside}
        </div>
      ) : (
        labelElement
      )}
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
        className: `${fieldControl} ${error ? 'border-red-600' : ''}`,
      })}
      {hint && (
        <p id={hintId} className={fieldHelp}>
          {hint}
        </p>
      )}
      {error && <FieldError id={errorId} message={fieldMessage(label, error)} />}
    </div>
  );
}

export function FieldError({ id, message }: { id: string; message: string }) {
  return (
    <p id={id} className="mt-1 flex gap-1.5 text-sm text-red-700">
      <svg viewBox="0 0 20 20" aria-hidden="true" className="mt-0.5 size-4 shrink-0" fill="currentColor">
        <path
          fillRule="evenodd"
          d="M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-8-5a.75.75 0 0 1 .75.75v4.5a.75.75 0 0 1-1.5 0v-4.5A.75.75 0 0 1 10 5Zm0 10a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
        />
      </svg>
      {message}
    </p>
  );
}
