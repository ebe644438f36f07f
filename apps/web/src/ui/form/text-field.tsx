import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from './field';

export { FieldError } from './field';

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  label: string;
  name: string;
  hint?: ReactNode;
  error?: string | undefined;
};

export function TextField({ label, hint, error, className, ...input }: TextFieldProps) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(control) => <input {...control} className={`mt-1 ${control.className}`} {...input} />}
    </Field>
  );
}
