type Positioned = { position: number };

export function byPosition<T extends Positioned>(items: readonly T[]): T[] {
  return items.toSorted((a, b) => a.position - b.position);
}

export function categoryPath(slug: string): string {
  return `/c/${encodeURIComponent(slug)}`;
}
