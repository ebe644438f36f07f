import type { CategoryNode } from '@souk/contracts';
import { useEffect, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { ErrorState } from '../../ui/error-state';
import { useCategoryTree } from '../catalog/catalog-queries';
import { byPosition } from '../catalog/categories';
import { CategoryIcon } from '../catalog/category-icon';

export type ChosenCategory = { id: string; slug: string; name: string };

/** The chain of nodes from the top down to the one with `id`, or null. */
function pathTo(nodes: readonly CategoryNode[], id: string): CategoryNode[] | null {
  for (const node of nodes) {
    if (node.id === id) return [node];
    const below = pathTo(node.children, id);
    if (below) return [node, ...below];
  }
  return null;
}

type CategoryStepProps = {
  selected: ChosenCategory | null;
  onChoose: (category: ChosenCategory) => void;
  busy: boolean;
  error: string | null;
};

/** Drill down the category tree: a category with subcategories opens them; one without is chosen. */
export function CategoryStep({ selected, onChoose, busy, error }: CategoryStepProps) {
  const t = useT();
  const tree = useCategoryTree();
  const [trail, setTrail] = useState<CategoryNode[] | null>(null);
  const listHeadingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  // Opens at the chosen category's level, once the tree is here.
  const items = tree.data?.items ?? [];
  const initialTrail = selected ? (pathTo(items, selected.id)?.slice(0, -1) ?? []) : [];
  const path = trail ?? initialTrail;
  const level = path.at(-1);
  const choices = byPosition(level ? level.children : items);

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus follows each drill-down.
  useEffect(() => {
    if (moved.current) listHeadingRef.current?.focus();
  }, [path.length, level?.id]);

  if (tree.isPending) {
    return (
      <div role="status" className="space-y-2">
        <span className="sr-only">
          <FormattedMessage id="sell.categoryStep.loadingCategories" />
        </span>
        {[0, 1, 2, 3].map((key) => (
          <div key={key} aria-hidden="true" className="h-14 animate-pulse rounded-2xl bg-stone-200/70" />
        ))}
      </div>
    );
  }
  if (tree.isError) {
    return (
      <ErrorState
        title={t('sell.categoryStep.weCouldntLoadCategories')}
        message={describeError(tree.error)}
        onRetry={() => void tree.refetch()}
        retrying={tree.isFetching}
      />
    );
  }

  function open(next: CategoryNode[]) {
    moved.current = true;
    setTrail(next);
  }

  return (
    <div>
      <nav aria-label={t('sell.categoryStep.categoryPath')} className="text-sm">
        <ol className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <li>
            {path.length === 0 ? (
              <span aria-current="location" className="font-medium text-stone-900">
                <FormattedMessage id="sell.categoryStep.allCategories" />
              </span>
            ) : (
              <button
                type="button"
                onClick={() => open([])}
                className="rounded text-brand-700 underline-offset-4 hover:underline"
              >
                <FormattedMessage id="sell.categoryStep.allCategories" />
              </button>
            )}
          </li>
          {path.map((node, index) => (
            <li key={node.id} className="flex items-center gap-2">
              <span aria-hidden="true" className="text-stone-400">
                /
              </span>
              {index === path.length - 1 ? (
                <span aria-current="location" className="font-medium text-stone-900">
                  {node.name}
                </span>
              ) : (
                <button
                  type="button"
                  onClick={() => open(path.slice(0, index + 1))}
                  className="rounded text-brand-700 underline-offset-4 hover:underline"
                >
                  {node.name}
                </button>
              )}
            </li>
          ))}
        </ol>
      </nav>

      <h3
        ref={listHeadingRef}
        tabIndex={-1}
        className="mt-4 text-base font-semibold text-stone-900 focus:outline-none"
      >
        {level ? t('sell.categoryStep.choose', { name: level.name }) : t('sell.categoryStep.whatYouSelling')}
      </h3>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <ul className="mt-3 grid gap-2 sm:grid-cols-2">
        {choices.map((node) => {
          const hasChildren = node.children.length > 0;
          const isSelected = selected?.id === node.id;
          const descriptionId = `category-choice-${node.id}`;
          return (
            <li key={node.id}>
              <button
                type="button"
                disabled={busy}
                aria-labelledby={`${descriptionId}-name`}
                aria-describedby={descriptionId}
                aria-pressed={hasChildren ? undefined : isSelected}
                onClick={() =>
                  hasChildren
                    ? open([...path, node])
                    : onChoose({ id: node.id, slug: node.slug, name: node.name })
                }
                className={`flex w-full items-center gap-3 rounded-2xl border bg-white p-3 text-left hover:border-brand-400 disabled:cursor-wait disabled:opacity-70 ${
                  isSelected ? 'border-brand-600 ring-2 ring-brand-600' : 'border-stone-200'
                }`}
              >
                <CategoryIcon icon={node.icon} name={node.name} />
                <span className="min-w-0 flex-1">
                  <span id={`${descriptionId}-name`} className="block font-semibold text-stone-900">
                    {node.name}
                  </span>
                  <span id={descriptionId} className="block truncate text-xs text-stone-500">
                    {hasChildren
                      ? t('sell.categoryStep.subcategories', { count: node.children.length })
                      : isSelected
                        ? t('sell.categoryStep.chosen')
                        : (node.description ?? t('sell.categoryStep.chooseCategory'))}
                  </span>
                </span>
                <span aria-hidden="true" className="text-xl text-stone-400">
                  {hasChildren ? '›' : isSelected ? '✓' : ''}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
