export const inputClass = 'mt-1 rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm text-stone-900';
export const walletCard = 'rounded-2xl border border-stone-200 bg-white p-4 sm:p-6';
