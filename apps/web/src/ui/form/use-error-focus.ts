import { type RefObject, useEffect } from 'react';

/** After a failed submit, moves focus to the first invalid field, or else to the form's alert. */
export function useErrorFocus(formRef: RefObject<HTMLElement | null>, error: unknown) {
  useEffect(() => {
    if (!error) return;
    const form = formRef.current;
    const target =
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form?.querySelector<HTMLElement>('[data-form-alert]');
    target?.focus();
  }, [formRef, error]);
}
