import type { BalanceHistory } from '@souk/contracts';

const WIDTH = 320;
const HEIGHT = 120;

/**
 * The available balance over time as a step line in plain SVG (no chart library: one series,
 * a few hundred points). Each change holds until the next; the line runs on to now.
 */
export function BalanceChart({ history, label }: { history: BalanceHistory; label: string }) {
  const now = Date.now();
  const steps = [
    {
      at: history.points[0] ? Date.parse(history.points[0].at) - 1 : now - 86_400_000,
      value: history.opening.amountMinor,
    },
    ...history.points.map((point) => ({ at: Date.parse(point.at), value: point.balance.amountMinor })),
  ];
  steps.push({ at: now, value: steps.at(-1)?.value ?? 0 });
  const first = steps[0]?.at ?? now;
  const span = Math.max(now - first, 1);
  const top = Math.max(...steps.map((step) => step.value), 1);
  const x = (at: number) => ((at - first) / span) * WIDTH;
  const y = (value: number) => HEIGHT - 4 - (value / top) * (HEIGHT - 8);
  const path = steps
    .map((step, index) =>
      index === 0 ? `M${x(step.at)},${y(step.value)}` : `H${x(step.at)}V${y(step.value)}`,
    )
    .join('');
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={label}
      data-points={history.points.length}
      className="h-32 w-full text-brand-600"
      preserveAspectRatio="none"
    >
      <path d={`${path}V${HEIGHT}H0Z`} className="fill-brand-100" stroke="none" />
      <path d={path} fill="none" stroke="currentColor" strokeWidth="2" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
