import { useUserStats } from '../account/users-queries';

export function ProfileStats({ userId }: { userId: string }) {
  const stats = useUserStats(userId);
  if (!stats.data) return null;
  const items = [
    { label: 'Listings', value: String(stats.data.listings) },
    { label: 'Sales', value: String(stats.data.sales) },
    { label: 'Reviews', value: String(stats.data.reviews) },
    {
      label: 'Replies',
      value: stats.data.responseRate === null ? '—' : `${Math.round(stats.data.responseRate * 100)}%`,
    },
  ];
  return (
    <dl className="grid grid-cols-4 divide-x divide-stone-200 rounded-2xl border border-stone-200 bg-white text-center">
      {items.map((item) => (
        <div key={item.label} className="flex flex-col-reverse px-2 py-3">
          <dt className="text-xs text-stone-600">{item.label}</dt>
          <dd className="text-lg font-semibold text-stone-900">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
