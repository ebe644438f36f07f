import { useId } from 'react';
import { EmptyState } from './empty-state';

export function ListingsSection({ categoryName }: { categoryName: string }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} className="text-lg font-semibold text-stone-900">
        Listings
      </h2>
      <div className="mt-3">
        <EmptyState title={`No listings yet in ${categoryName}`}>
          <p>Listings are on their way. Check back soon.</p>
        </EmptyState>
      </div>
    </section>
  );
}
