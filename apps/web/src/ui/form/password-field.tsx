import { type InputHTMLAttributes, type ReactNode, useId, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { fieldControl, fieldHelp, fieldLabel } from '../field-styles';
import { fieldMessage } from './field-message';
import { FieldError } from './text-field';

type PasswordFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'> & {
  label: string;
  name: string;
  autoComplete: 'current-password' | 'new-password';
  hint?: ReactNode;
  error?: string | undefined;
  /** Something beside the label, such as a "Forgot password?" link. */
  aside?: ReactNode;
};

export function PasswordField({ label, hint, error, aside, className = '', ...input }: PasswordFieldProps) {
  const id = useId();
  const [visible, setVisible] = useState(false);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className={className}>
      <div className="flex items-baseline justify-between gap-3">
        <label htmlFor={id} className={fieldLabel}>
          {label}
        </label>
        {aside}
      </div>
      <div className="relative mt-1">
        <input
          id={id}
          type={visible ? 'text' : 'password'}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          autoCapitalize="off"
          spellCheck={false}
          className={`${fieldControl} pr-16 ${error ? 'border-red-600' : ''}`}
          {...input}
        />
        <button
          type="button"
          onClick={() => setVisible((value) => !value)}
          aria-pressed={visible}
          aria-controls={id}
          className="absolute inset-y-1 right-1 rounded-md px-2 text-xs font-semibold text-stone-600 hover:bg-stone-100 hover:text-stone-900"
        >
          <FormattedMessage id={visible ? 'ui.password.hide' : 'ui.password.show'} />
          <span className="sr-only"> {label.toLowerCase()}</span>
        </button>
      </div>
      {hint && (
        <p id={hintId} className={fieldHelp}>
          {hint}
        </p>
      )}
      {error && <FieldError id={errorId} message={fieldMessage(label, error)} />}
    </div>
  );
}
