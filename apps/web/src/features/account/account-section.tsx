import type { ReactNode } from 'react';

type AccountSectionProps = {
  id: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
};

export function AccountSection({ id, title, description, children }: AccountSectionProps) {
  const headingId = `${id}-heading`;
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      className="scroll-mt-6 rounded-3xl border border-stone-200 bg-white px-5 py-6 sm:px-8"
    >
      <h2 id={headingId} className="text-lg font-semibold text-stone-900">
        {title}
      </h2>
      {description && <div className="mt-1 text-sm text-stone-600">{description}</div>}
      <div className="mt-5">{children}</div>
    </section>
  );
}

export function SectionLoading({ label }: { label: string }) {
  return (
    <div role="status" className="space-y-3">
      <span className="sr-only">{label}</span>
      <div aria-hidden="true" className="h-10 animate-pulse rounded-lg bg-stone-200/70" />
      <div aria-hidden="true" className="h-10 animate-pulse rounded-lg bg-stone-200/70" />
    </div>
  );
}
