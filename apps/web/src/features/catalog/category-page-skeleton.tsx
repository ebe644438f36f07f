import { FormattedMessage } from 'react-intl';

const bar = 'block animate-pulse rounded bg-stone-200 motion-reduce:animate-none';

export function CategoryPageSkeleton() {
  return (
    <div role="status">
      <span className="sr-only">
        <FormattedMessage id="catalog.categoryPageSkeleton.loadingCategory" />
      </span>
      <div aria-hidden="true">
        <span className={`${bar} h-4 w-40`} />
        <div className="mt-5 flex items-center gap-4">
          <span className={`${bar} size-14 rounded-2xl`} />
          <span className={`${bar} h-8 w-48`} />
        </div>
        <span className={`${bar} mt-4 h-4 w-full max-w-lg`} />
        <div className="mt-8 grid gap-6 lg:grid-cols-[18rem_minmax(0,1fr)]">
          <span className={`${bar} h-64 rounded-2xl`} />
          <span className={`${bar} h-40 rounded-2xl`} />
        </div>
      </div>
    </div>
  );
}
