import type { CategoryNode } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { byPosition, categoryPath } from './categories';
import { CategoryIcon } from './category-icon';

const CHILDREN_SHOWN = 3;

export function CategoryCard({ category }: { category: CategoryNode }) {
  const children = byPosition(category.children);
  const shown = children.slice(0, CHILDREN_SHOWN);
  const hidden = children.length - shown.length;

  return (
    <li className="relative flex items-start gap-4 rounded-2xl border border-stone-200 bg-white p-4 shadow-xs transition hover:border-brand-300 hover:shadow-md has-[a:focus-visible]:outline-3 has-[a:focus-visible]:outline-offset-2 has-[a:focus-visible]:outline-brand-500">
      <CategoryIcon icon={category.icon} name={category.name} size="lg" />
      <div className="min-w-0">
        <h3 className="text-lg font-semibold text-stone-900">
          {/* The link's box is stretched over the card so the whole card is clickable, while its
              accessible name stays just the category name. */}
          <Link
            to={categoryPath(category.slug)}
            className="after:absolute after:inset-0 after:rounded-2xl focus-visible:outline-none"
          >
            {category.name}
          </Link>
        </h3>
        {shown.length > 0 && (
          <p className="mt-1 text-sm text-stone-600">
            {shown.map((child) => child.name).join(' · ')}
            {hidden > 0 && (
              <span className="text-stone-500">
                {' '}
                <FormattedMessage id="catalog.categoryCard.more" values={{ hidden }} />
              </span>
            )}
          </p>
        )}
      </div>
    </li>
  );
}
