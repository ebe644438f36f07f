// Shared so every filter control looks and behaves alike, including its disabled preview state.
export const fieldControl =
  'block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base text-stone-900 shadow-xs sm:text-sm ' +
  'focus-visible:border-brand-500 disabled:cursor-not-allowed disabled:bg-stone-100 disabled:text-stone-500';

export const fieldLabel = 'block text-sm font-medium text-stone-800';

export const fieldHelp = 'mt-1 text-xs text-stone-500';
