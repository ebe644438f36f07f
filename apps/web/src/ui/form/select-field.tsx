import { type ReactNode, type SelectHTMLAttributes, useId } from 'react';
import { fieldControl, fieldLabel } from '../field-styles';
import { fieldMessage } from './field-message';
import { FieldError } from './text-field';

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  label: string;
  error?: string | undefined;
  children: ReactNode;
};

export function SelectField({ label, error, className = '', children, ...select }: SelectFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={className}>
      <label htmlFor={id} className={fieldLabel}>
        {label}
      </label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className={`mt-1 ${fieldControl} ${error ? 'border-red-600' : ''}`}
        {...select}
      >
        {children}
      </select>
      {error && <FieldError id={errorId} message={fieldMessage(label, error)} />}
    </div>
  );
}
