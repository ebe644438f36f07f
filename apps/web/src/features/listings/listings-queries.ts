import type {
  CreateListingBody,
  Listing,
  ListingImage,
  ListingPage,
  ListingStatus,
  ListingSummary,
  MyListings,
  UpdateListingBody,
} from '@souk/contracts';
import {
  keepPreviousData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiFetch, apiUpload, type UploadProgress } from '../../api/client';

const LISTINGS = '/api/v1/listings';
const PAGE_SIZE = 20;

export type ListingFilters = { category?: string; seller?: string; kind?: string; status?: ListingStatus };

export const listingKeys = {
  all: ['listings'] as const,
  lists: () => [...listingKeys.all, 'list'] as const,
  list: (filters: ListingFilters) => [...listingKeys.lists(), filters] as const,
  featured: () => [...listingKeys.all, 'featured'] as const,
  mine: () => [...listingKeys.all, 'mine'] as const,
  mineByStatus: (status: ListingStatus | null) => [...listingKeys.mine(), status ?? 'all'] as const,
  detail: (id: string) => [...listingKeys.all, 'detail', id] as const,
};

export const listingPath = (id: string, rest = '') => `${LISTINGS}/${encodeURIComponent(id)}${rest}`;

function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

export function useListing(id: string) {
  return useQuery({
    queryKey: listingKeys.detail(id),
    queryFn: ({ signal }) => apiFetch<Listing>(listingPath(id), { signal }),
  });
}

/** Newest first, a page at a time ("Load more"). */
export function useListings(filters: ListingFilters = {}, pageSize = PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: [...listingKeys.list(filters), pageSize],
    queryFn: ({ signal, pageParam }) =>
      apiFetch<ListingPage>(withQuery(LISTINGS, { ...filters, limit: pageSize, cursor: pageParam }), {
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useFeaturedListings() {
  return useQuery({
    queryKey: listingKeys.featured(),
    queryFn: ({ signal }) => apiFetch<{ items: ListingSummary[] }>(`${LISTINGS}/featured`, { signal }),
    select: (data) => data.items,
  });
}

export function useMyListings(status: ListingStatus | null) {
  return useInfiniteQuery({
    queryKey: listingKeys.mineByStatus(status),
    queryFn: ({ signal, pageParam }) =>
      apiFetch<MyListings>(withQuery(`${LISTINGS}/mine`, { status, limit: PAGE_SIZE, cursor: pageParam }), {
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

/** A listing changed: its page shows the new version at once, and every list refreshes. */
async function listingChanged(queryClient: QueryClient, listing: Listing | null, id: string) {
  if (listing) queryClient.setQueryData(listingKeys.detail(listing.id), listing);
  else queryClient.removeQueries({ queryKey: listingKeys.detail(id) });
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: listingKeys.lists() }),
    queryClient.invalidateQueries({ queryKey: listingKeys.featured() }),
    queryClient.invalidateQueries({ queryKey: listingKeys.mine() }),
    // Listing counts show on profiles.
    queryClient.invalidateQueries({ queryKey: ['users'] }),
  ]);
}

export function useCreateListing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateListingBody) => apiFetch<Listing>(LISTINGS, { method: 'POST', body }),
    onSuccess: (listing) => listingChanged(queryClient, listing, listing.id),
  });
}

export function useUpdateListing(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateListingBody) => apiFetch<Listing>(listingPath(id), { method: 'PATCH', body }),
    onSuccess: (listing) => listingChanged(queryClient, listing, id),
  });
}

export type ListingAction = 'publish' | 'unpublish' | 'sold' | 'renew';

/** The lifecycle steps: publish, unpublish, mark as sold, renew. */
export function useListingAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: ListingAction }) =>
      apiFetch<Listing>(listingPath(id, `/${action}`), { method: 'POST' }),
    onSuccess: (listing, { id }) => listingChanged(queryClient, listing, id),
  });
}

export function useDeleteListing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(listingPath(id), { method: 'DELETE' }),
    onSuccess: (_, id) => listingChanged(queryClient, null, id),
  });
}

// ---------------------------------------------------------------------------------------------
// Photos
// ---------------------------------------------------------------------------------------------

export const MAX_PHOTOS = 20;

/** Puts a new image list into the cached listing so its page and the preview show it. */
function setImages(queryClient: QueryClient, id: string, images: ListingImage[]) {
  queryClient.setQueryData<Listing>(listingKeys.detail(id), (listing) => {
    if (!listing) return listing;
    const primaryImage = images.find((image) => image.primary) ?? images[0] ?? null;
    return { ...listing, images, primaryImage };
  });
}

/** The server's answer to an upload may be the new images only or the whole set: merge by id. */
export function mergeImages(
  current: readonly ListingImage[],
  incoming: readonly ListingImage[],
): ListingImage[] {
  const byId = new Map(current.map((image) => [image.id, image]));
  for (const image of incoming) byId.set(image.id, image);
  return [...byId.values()].toSorted((a, b) => a.position - b.position);
}

export function uploadListingImages(
  id: string,
  files: readonly File[],
  onProgress?: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<ListingImage[]> {
  const body = new FormData();
  for (const file of files) body.append('files', file, file.name);
  return apiUpload<ListingImage[]>(listingPath(id, '/images'), body, { onProgress, signal });
}

export function useImageChanges(id: string) {
  const queryClient = useQueryClient();
  const current = () => queryClient.getQueryData<Listing>(listingKeys.detail(id))?.images ?? [];
  // The server decides positions and the primary; everything showing this listing refreshes.
  const settle = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: listingKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['users'] }),
    ]);

  const uploaded = (images: ListingImage[]) => {
    setImages(queryClient, id, mergeImages(current(), images));
    void settle();
  };

  const reorder = useMutation({
    mutationFn: (imageIds: string[]) =>
      apiFetch<ListingImage[]>(listingPath(id, '/images'), { method: 'PUT', body: { imageIds } }),
    onMutate: async (imageIds) => {
      // A refetch in flight would put the old order back over the optimistic one.
      await queryClient.cancelQueries({ queryKey: listingKeys.detail(id) });
      const before = current();
      const order = new Map(imageIds.map((imageId, index) => [imageId, index]));
      const moved = before
        .map((image) => ({ ...image, position: order.get(image.id) ?? image.position }))
        .toSorted((a, b) => a.position - b.position);
      setImages(queryClient, id, moved);
      return { before };
    },
    onError: (_error, _ids, context) => {
      if (context) setImages(queryClient, id, context.before);
    },
    onSuccess: (images) => {
      if (Array.isArray(images)) setImages(queryClient, id, mergeImages([], images));
      void settle();
    },
  });

  const makePrimary = useMutation({
    mutationFn: (imageId: string) =>
      apiFetch<ListingImage[] | undefined>(
        listingPath(id, `/images/${encodeURIComponent(imageId)}/primary`),
        {
          method: 'POST',
        },
      ),
    onSuccess: (result, imageId) => {
      setImages(
        queryClient,
        id,
        Array.isArray(result)
          ? mergeImages([], result)
          : current().map((image) => ({ ...image, primary: image.id === imageId })),
      );
      void settle();
    },
  });

  const remove = useMutation({
    mutationFn: (imageId: string) =>
      apiFetch<void>(listingPath(id, `/images/${encodeURIComponent(imageId)}`), { method: 'DELETE' }),
    onSuccess: (_result, imageId) => {
      setImages(
        queryClient,
        id,
        current().filter((image) => image.id !== imageId),
      );
      // The server may have picked a new primary.
      void settle();
    },
  });

  return { uploaded, reorder, makePrimary, remove };
}
