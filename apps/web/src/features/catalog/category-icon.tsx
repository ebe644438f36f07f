const sizes = {
  md: 'size-10 rounded-xl text-xl',
  lg: 'size-14 rounded-2xl text-3xl',
} as const;

export function CategoryIcon({
  icon,
  name,
  size = 'md',
}: {
  icon: string | null;
  name: string;
  size?: keyof typeof sizes;
}) {
  return (
    <span
      aria-hidden="true"
      className={`flex shrink-0 items-center justify-center bg-brand-50 font-semibold text-brand-700 ${sizes[size]}`}
    >
      {icon ?? name.slice(0, 1).toUpperCase()}
    </span>
  );
}
