import { type ReactNode, type RefObject, useId } from 'react';

type AuthCardProps = {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  /** The heading takes focus when the card changes step (sign-in code, "check your e-mail"). */
  headingRef?: RefObject<HTMLHeadingElement | null>;
};

export function AuthCard({ title, intro, children, footer, headingRef }: AuthCardProps) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="mx-auto w-full max-w-md">
      <div className="rounded-3xl border border-stone-200 bg-white px-5 py-7 shadow-xs sm:px-8">
        <h1
          id={headingId}
          ref={headingRef}
          tabIndex={-1}
          className="text-2xl font-bold tracking-tight text-stone-900 focus:outline-none"
        >
          {title}
        </h1>
        {intro && <div className="mt-2 text-sm text-stone-600">{intro}</div>}
        <div className="mt-6">{children}</div>
      </div>
      {footer && <div className="mt-5 text-center text-sm text-stone-600">{footer}</div>}
    </section>
  );
}
