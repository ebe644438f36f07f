import type { ReactNode, SelectHTMLAttributes } from 'react';
import { Field } from './field';

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  label: string;
  error?: string | undefined;
  children: ReactNode;
};

export function SelectField({ label, error, className, children, ...select }: SelectFieldProps) {
  return (
    <Field label={label} error={error} className={className}>
      {(control) => (
        <select {...control} className={`mt-1 ${control.className}`} {...select}>
          {children}
        </select>
      )}
    </Field>
  );
}
