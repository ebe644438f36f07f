import type { ReactNode } from 'react';

type Tone = 'error' | 'success' | 'info';

const toneClass: Record<Tone, string> = {
  error: 'border-red-200 bg-red-50 text-red-900',
  success: 'border-emerald-200 bg-emerald-50 text-emerald-900',
  info: 'border-sky-200 bg-sky-50 text-sky-900',
};

/**
 * A message above or below a form. Errors are announced at once (role=alert) and can take focus
 * (tabIndex -1, `data-form-alert`) so keyboard users land on what went wrong.
 */
export function FormAlert({ tone, children }: { tone: Tone; children: ReactNode }) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      tabIndex={-1}
      data-form-alert=""
      className={`rounded-xl border px-4 py-3 text-sm ${toneClass[tone]}`}
    >
      {children}
    </div>
  );
}
