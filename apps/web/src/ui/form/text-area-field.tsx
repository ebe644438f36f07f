import { type TextareaHTMLAttributes, useId } from 'react';
import { fieldControl, fieldHelp, fieldLabel } from '../field-styles';
import { fieldMessage } from './field-message';
import { FieldError } from './text-field';

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & {
  label: string;
  name: string;
  hint?: string;
  error?: string | undefined;
};

export function TextAreaField({ label, hint, error, className = '', ...textarea }: TextAreaFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className={className}>
      <label htmlFor={id} className={fieldLabel}>
        {label}
      </label>
      <textarea
        id={id}
        rows={4}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        className={`mt-1 ${fieldControl} ${error ? 'border-red-600' : ''}`}
        {...textarea}
      />
      {hint && (
        <p id={hintId} className={fieldHelp}>
          {hint}
        </p>
      )}
      {error && <FieldError id={errorId} message={fieldMessage(label, error)} />}
    </div>
  );
}
