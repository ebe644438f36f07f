import type { CategoryRef } from '@souk/contracts';
import { useId } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { categoryPath } from './categories';

export function SubcategoryList({
  parentName,
  items,
}: {
  parentName: string;
  items: readonly CategoryRef[];
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="mt-6">
      <h2 id={headingId} className="text-sm font-semibold tracking-wide text-stone-500 uppercase">
        <FormattedMessage id="catalog.subcategoryList.categories" values={{ parentName }} />
      </h2>
      <ul className="mt-3 flex flex-wrap gap-2">
        {items.map((child) => (
          <li key={child.id}>
            <Link
              to={categoryPath(child.slug)}
              className="flex items-center gap-2 rounded-full border border-stone-300 bg-white px-4 py-2 text-sm font-medium text-stone-800 hover:border-brand-500 hover:text-brand-700"
            >
              {child.icon && <span aria-hidden="true">{child.icon}</span>}
              {child.name}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
