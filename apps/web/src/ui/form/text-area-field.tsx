import type { TextareaHTMLAttributes } from 'react';
import { Field } from './field';

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & {
  label: string;
  name: string;
  hint?: string;
  error?: string | undefined;
};

export function TextAreaField({ label, hint, error, className, ...textarea }: TextAreaFieldProps) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(control) => <textarea rows={4} {...control} className={`mt-1 ${control.className}`} {...textarea} />}
    </Field>
  );
}
