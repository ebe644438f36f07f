import { type InputHTMLAttributes, type ReactNode, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { Field } from './field';

type PasswordFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'> & {
  label: string;
  name: string;
  autoComplete: 'current-password' | 'new-password';
  hint?: ReactNode;
  error?: string | undefined;
  /** Something beside the label, such as a "Forgot password?" link. */
  aside?: ReactNode;
};

export function PasswordField({ label, hint, error, aside, className, ...input }: PasswordFieldProps) {
  const [visible, setVisible] = useState(false);
  return (
    <Field label={label} hint={hint} error={error} aside={aside} className={className}>
      {(control) => (
        <div className="relative mt-1">
          <input
            {...control}
            type={visible ? 'text' : 'password'}
            autoCapitalize="off"
            spellCheck={false}
            className={`${control.className} pr-16`}
            {...input}
          />
          <button
            type="button"
            onClick={() => setVisible((value) => !value)}
            aria-pressed={visible}
            aria-controls={control.id}
            className="absolute inset-y-1 right-1 rounded-md px-2 text-xs font-semibold text-stone-600 hover:bg-stone-100 hover:text-stone-900"
          >
            <FormattedMessage id={visible ? 'ui.password.hide' : 'ui.password.show'} />
            <span className="sr-only"> {label.toLowerCase()}</span>
          </button>
        </div>
      )}
    </Field>
  );
}

/** The server refuses shorter ones; forms check it first to say so next to the field. */
export const MIN_PASSWORD = 10;

type NewPasswordFieldProps = Omit<
  PasswordFieldProps,
  'autoComplete' | 'hint' | 'minLength' | 'maxLength' | 'required'
>;

/** A password being chosen (sign-up, reset, change): its length rules and the hint that says them. */
export function NewPasswordField(props: NewPasswordFieldProps) {
  const t = useT();
  return (
    <PasswordField
      autoComplete="new-password"
      minLength={MIN_PASSWORD}
      maxLength={128}
      required
      hint={t('ui.password.newHint', { minPassword: MIN_PASSWORD })}
      {...props}
    />
  );
}
