import type { ReactNode } from 'react';
import { primaryButton } from './buttons';

type SubmitButtonProps = {
  pending: boolean;
  pendingLabel: string;
  children: ReactNode;
  className?: string;
  disabled?: boolean;
};

export function SubmitButton({
  pending,
  pendingLabel,
  children,
  className = primaryButton,
  disabled = false,
}: SubmitButtonProps) {
  return (
    <button
      type="submit"
      disabled={pending || disabled}
      aria-busy={pending || undefined}
      className={className}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}
