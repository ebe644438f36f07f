import { initialsOf } from '../lib/format';

const sizes = {
  sm: 'size-8 text-xs',
  md: 'size-12 text-base',
  lg: 'size-24 text-3xl',
} as const;

type UserAvatarProps = {
  name: string;
  url: string | null;
  size?: keyof typeof sizes;
  className?: string;
};

/** The photo when there is one, else initials; decorative, as the name is always shown beside it. */
export function UserAvatar({ name, url, size = 'sm', className = '' }: UserAvatarProps) {
  const box = `${sizes[size]} shrink-0 rounded-full ${className}`;
  if (url) return <img src={url} alt="" className={`${box} bg-stone-200 object-cover`} />;
  return (
    <span
      aria-hidden="true"
      className={`${box} flex items-center justify-center bg-brand-100 font-semibold text-brand-800`}
    >
      {initialsOf(name)}
    </span>
  );
}
