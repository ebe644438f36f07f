import type {
  CreateReviewBody,
  HelpfulResult,
  ListingRatings,
  ReportReviewBody,
  Review,
  ReviewEligibility,
  ReviewPage,
  ReviewReport,
  ReviewSort,
  SellerRating,
  UpdateReviewBody,
} from '@souk/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';

export const reviewKeys = {
  all: ['reviews'] as const,
  rating: (sellerId: string) => [...reviewKeys.all, 'rating', sellerId] as const,
  ofSeller: (sellerId: string, sort: ReviewSort) => [...reviewKeys.all, 'seller', sellerId, sort] as const,
  ofListing: (listingId: string, sort: ReviewSort) =>
    [...reviewKeys.all, 'listing', listingId, sort] as const,
  eligibility: (sellerId: string, listingId: string | null) =>
    [...reviewKeys.all, 'eligibility', sellerId, listingId] as const,
  cardRating: (listingId: string) => [...reviewKeys.all, 'card', listingId] as const,
};

const enc = encodeURIComponent;

export function useSellerRating(sellerId: string) {
  return useQuery({
    queryKey: reviewKeys.rating(sellerId),
    queryFn: ({ signal }) => apiFetch<SellerRating>(`/api/v1/users/${enc(sellerId)}/rating`, { signal }),
  });
}

/** A seller's reviews, or (with `listingId`) a listing's. */
export function useReviews(target: { sellerId: string } | { listingId: string }, sort: ReviewSort) {
  const base =
    'sellerId' in target
      ? `/api/v1/users/${enc(target.sellerId)}/reviews`
      : `/api/v1/listings/${enc(target.listingId)}/reviews`;
  return useInfiniteQuery({
    queryKey:
      'sellerId' in target
        ? reviewKeys.ofSeller(target.sellerId, sort)
        : reviewKeys.ofListing(target.listingId, sort),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      apiFetch<ReviewPage>(`${base}?sort=${sort}&limit=10${pageParam ? `&cursor=${enc(pageParam)}` : ''}`, {
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useReviewEligibility(sellerId: string, listingId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: reviewKeys.eligibility(sellerId, listingId),
    enabled,
    queryFn: ({ signal }) =>
      apiFetch<ReviewEligibility>(
        `/api/v1/users/${enc(sellerId)}/review-eligibility${listingId ? `?listingId=${enc(listingId)}` : ''}`,
        { signal },
      ),
  });
}

/** After any review write: every list, rating and eligibility may have changed. */
function useInvalidateReviews() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: reviewKeys.all });
}

export function useCreateReview() {
  const invalidate = useInvalidateReviews();
  return useMutation({
    mutationFn: (body: CreateReviewBody) => apiFetch<Review>('/api/v1/reviews', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateReview() {
  const invalidate = useInvalidateReviews();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateReviewBody }) =>
      apiFetch<Review>(`/api/v1/reviews/${enc(id)}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function useDeleteReview() {
  const invalidate = useInvalidateReviews();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(`/api/v1/reviews/${enc(id)}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

export function useRespondToReview() {
  const invalidate = useInvalidateReviews();
  return useMutation({
    mutationFn: ({ id, text }: { id: string; text: string }) =>
      apiFetch<Review>(`/api/v1/reviews/${enc(id)}/response`, { method: 'PUT', body: { text } }),
    onSuccess: invalidate,
  });
}

export function useHelpfulVote() {
  const invalidate = useInvalidateReviews();
  return useMutation({
    mutationFn: ({ id, helpful }: { id: string; helpful: boolean }) =>
      apiFetch<HelpfulResult>(`/api/v1/reviews/${enc(id)}/helpful`, { method: helpful ? 'PUT' : 'DELETE' }),
    onSuccess: invalidate,
  });
}

export function useReportReview() {
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ReportReviewBody }) =>
      apiFetch<ReviewReport>(`/api/v1/reviews/${enc(id)}/reports`, { method: 'POST', body }),
  });
}

/**
 * Seller ratings for listing cards, batched: every card asking in the same tick shares one
 * `GET /ratings?listingIds=…` call (at most 100 ids each), so a page of cards costs one request.
 */
let pending: { ids: Set<string>; waiters: Map<string, ((rating: SellerRating | null) => void)[]> } | null =
  null;

function flush(batch: NonNullable<typeof pending>) {
  const ids = [...batch.ids];
  for (let start = 0; start < ids.length; start += 100) {
    const chunk = ids.slice(start, start + 100);
    apiFetch<ListingRatings>(`/api/v1/ratings?listingIds=${chunk.map(enc).join(',')}`)
      .then((answer) => {
        const byId = new Map(answer.items.map((item) => [item.listingId, item.rating]));
        for (const id of chunk)
          for (const resolve of batch.waiters.get(id) ?? []) resolve(byId.get(id) ?? null);
      })
      .catch(() => {
        // Stars are decoration on a card: without them the card still works.
        for (const id of chunk) for (const resolve of batch.waiters.get(id) ?? []) resolve(null);
      });
  }
}

function cardRating(listingId: string): Promise<SellerRating | null> {
  if (!pending) {
    const batch = { ids: new Set<string>(), waiters: new Map() };
    pending = batch;
    setTimeout(() => {
      pending = null;
      flush(batch);
    }, 0);
  }
  const batch = pending;
  batch.ids.add(listingId);
  return new Promise((resolve) => {
    batch.waiters.set(listingId, [...(batch.waiters.get(listingId) ?? []), resolve]);
  });
}

export function useCardRating(listingId: string) {
  return useQuery({
    queryKey: reviewKeys.cardRating(listingId),
    queryFn: () => cardRating(listingId),
    staleTime: 5 * 60_000,
  });
}
