import type { Price } from '@souk/contracts';
import { priceLabel } from '../../lib/money';

export function PriceTag({ price, size = 'md' }: { price: Price | null | undefined; size?: 'md' | 'lg' }) {
  const label = priceLabel(price);
  const main = size === 'lg' ? 'text-3xl font-bold tracking-tight' : 'text-base font-bold';
  return (
    <p className="flex flex-wrap items-baseline gap-x-2">
      <span className={`${main} text-stone-900`}>{label.main}</span>
      {label.note && (
        <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-semibold text-amber-950">
          {label.note}
        </span>
      )}
    </p>
  );
}
