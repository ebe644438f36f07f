import { FormattedMessage } from 'react-intl';
import { categoryGridClass } from './category-grid';

const PLACEHOLDERS = ['a', 'b', 'c', 'd', 'e', 'f'];

export function CategoryGridSkeleton() {
  return (
    <div role="status">
      <span className="sr-only">
        <FormattedMessage id="catalog.categoryGridSkeleton.loadingCategories" />
      </span>
      <ul aria-hidden="true" className={categoryGridClass}>
        {PLACEHOLDERS.map((key) => (
          <li key={key} className="flex items-start gap-4 rounded-2xl border border-stone-200 bg-white p-4">
            <span className="size-14 shrink-0 animate-pulse rounded-2xl bg-stone-200 motion-reduce:animate-none" />
            <span className="flex-1 space-y-2 pt-1">
              <span className="block h-5 w-2/3 animate-pulse rounded bg-stone-200 motion-reduce:animate-none" />
              <span className="block h-4 w-5/6 animate-pulse rounded bg-stone-100 motion-reduce:animate-none" />
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
