import type { CategoryRef } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../../i18n/use-t';
import { categoryPath } from './categories';

const linkClass = 'rounded text-stone-600 underline-offset-4 hover:text-brand-700 hover:underline';

function Separator() {
  return (
    <span aria-hidden="true" className="text-stone-400">
      /
    </span>
  );
}

export function Breadcrumb({ ancestors, current }: { ancestors: readonly CategoryRef[]; current: string }) {
  const t = useT();
  return (
    <nav aria-label={t('catalog.breadcrumb.breadcrumb')}>
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <li className="flex items-center gap-2">
          <Link to="/" className={linkClass}>
            <FormattedMessage id="catalog.breadcrumb.home" />
          </Link>
          <Separator />
        </li>
        {ancestors.map((ancestor) => (
          <li key={ancestor.id} className="flex items-center gap-2">
            <Link to={categoryPath(ancestor.slug)} className={linkClass}>
              {ancestor.name}
            </Link>
            <Separator />
          </li>
        ))}
        <li aria-current="page" className="font-medium text-stone-900">
          {current}
        </li>
      </ol>
    </nav>
  );
}
