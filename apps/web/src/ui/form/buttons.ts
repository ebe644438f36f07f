const base =
  'inline-flex items-center justify-center gap-2 rounded-full px-5 py-2.5 text-sm font-semibold ' +
  'disabled:cursor-not-allowed disabled:opacity-60';

export const primaryButton = `${base} bg-brand-600 text-white hover:bg-brand-700`;
export const secondaryButton = `${base} border border-stone-300 bg-white text-stone-800 hover:border-brand-500 hover:text-brand-700`;
export const dangerButton = `${base} bg-red-700 text-white hover:bg-red-800`;
export const textLink = 'rounded font-medium text-brand-700 underline-offset-4 hover:underline';
