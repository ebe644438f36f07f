import type {
  AddPayoutMethodBody,
  BalanceHistory,
  Payout,
  PayoutMethod,
  PayoutPage,
  WalletHistoryFilter,
  WalletHistoryPage,
  WalletSummary,
  WalletTopUpStarted,
} from '@souk/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import { useSession } from '../auth/auth-queries';

const WALLET = '/api/v1/wallet';

/** Keyed by the signed-in member, so another account on this device never sees these answers. */
export const walletKeys = {
  all: (userId: string) => ['wallet', userId] as const,
  summary: (userId: string) => [...walletKeys.all(userId), 'summary'] as const,
  history: (userId: string, filter: WalletHistoryFilter) =>
    [...walletKeys.all(userId), 'history', filter] as const,
  chart: (userId: string, currency: string) => [...walletKeys.all(userId), 'chart', currency] as const,
  methods: (userId: string) => [...walletKeys.all(userId), 'methods'] as const,
  payouts: (userId: string) => [...walletKeys.all(userId), 'payouts'] as const,
};

/** The query string of a history filter (empty fields left out). */
export function filterQuery(filter: WalletHistoryFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, String(value));
  return params.toString();
}

/** A fresh key per logical request; the same one on every retry of it (decision 033). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export function useWalletSummary() {
  const { user } = useSession();
  return useQuery({
    queryKey: walletKeys.summary(user?.id ?? ''),
    queryFn: ({ signal }) => apiFetch<WalletSummary>(WALLET, { signal }),
    enabled: Boolean(user),
  });
}

export function useWalletHistory(filter: WalletHistoryFilter) {
  const { user } = useSession();
  return useInfiniteQuery({
    queryKey: walletKeys.history(user?.id ?? '', filter),
    queryFn: ({ signal, pageParam }) => {
      const query = filterQuery(filter);
      const cursor = pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : '';
      return apiFetch<WalletHistoryPage>(
        `${WALLET}/transactions?limit=20${query ? `&${query}` : ''}${cursor}`,
        {
          signal,
        },
      );
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: Boolean(user),
  });
}

export function useBalanceHistory(currency: string | null) {
  const { user } = useSession();
  return useQuery({
    queryKey: walletKeys.chart(user?.id ?? '', currency ?? ''),
    queryFn: ({ signal }) =>
      apiFetch<BalanceHistory>(`${WALLET}/balance-history?currency=${currency}&days=90`, { signal }),
    enabled: Boolean(user && currency),
  });
}

export function useStartTopUp() {
  return useMutation({
    mutationFn: (input: { amountMinor: number; currency: string; key: string }) =>
      apiFetch<WalletTopUpStarted>(`${WALLET}/top-ups`, {
        method: 'POST',
        body: { amount: { amountMinor: input.amountMinor, currency: input.currency } },
        headers: { 'idempotency-key': input.key },
      }),
  });
}

export function usePayoutMethods() {
  const { user } = useSession();
  return useQuery({
    queryKey: walletKeys.methods(user?.id ?? ''),
    queryFn: ({ signal }) => apiFetch<{ items: PayoutMethod[] }>(`${WALLET}/payout-methods`, { signal }),
    enabled: Boolean(user),
  });
}

export function useAddPayoutMethod() {
  const queryClient = useQueryClient();
  const { user } = useSession();
  return useMutation({
    mutationFn: (body: AddPayoutMethodBody) =>
      apiFetch<PayoutMethod>(`${WALLET}/payout-methods`, { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: walletKeys.methods(user?.id ?? '') }),
  });
}

export function useRemovePayoutMethod() {
  const queryClient = useQueryClient();
  const { user } = useSession();
  return useMutation({
    mutationFn: (methodId: string) =>
      apiFetch<void>(`${WALLET}/payout-methods/${methodId}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: walletKeys.methods(user?.id ?? '') }),
  });
}

export function usePayouts() {
  const { user } = useSession();
  return useInfiniteQuery({
    queryKey: walletKeys.payouts(user?.id ?? ''),
    queryFn: ({ signal, pageParam }) =>
      apiFetch<PayoutPage>(
        `${WALLET}/payouts?limit=10${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
        {
          signal,
        },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: Boolean(user),
  });
}

export function useRequestPayout() {
  const queryClient = useQueryClient();
  const { user } = useSession();
  return useMutation({
    mutationFn: (input: { amountMinor: number; currency: string; methodId: string; key: string }) =>
      apiFetch<Payout>(`${WALLET}/payouts`, {
        method: 'POST',
        body: {
          amount: { amountMinor: input.amountMinor, currency: input.currency },
          methodId: input.methodId,
        },
        headers: { 'idempotency-key': input.key },
      }),
    // The balances, the history and the chart all moved: refetch the whole wallet.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: walletKeys.all(user?.id ?? '') }),
  });
}
