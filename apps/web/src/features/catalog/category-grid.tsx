import type { CategoryNode } from '@souk/contracts';
import { byPosition } from './categories';
import { CategoryCard } from './category-card';

export const categoryGridClass = 'grid gap-3 sm:grid-cols-2 lg:grid-cols-3';

export function CategoryGrid({ categories }: { categories: readonly CategoryNode[] }) {
  return (
    <ul className={categoryGridClass}>
      {byPosition(categories).map((category) => (
        <CategoryCard key={category.id} category={category} />
      ))}
    </ul>
  );
}
