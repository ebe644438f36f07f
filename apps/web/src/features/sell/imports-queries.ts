import type { ImportFailurePage, ImportJob } from '@souk/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch, apiUpload, type UploadProgress } from '../../api/client';
import { useRealtimeChannel } from '../../lib/realtime';
import { useSession } from '../auth/auth-queries';
import { listingKeys } from '../listings/listings-queries';

const IMPORTS = '/api/v1/imports';

export const importKeys = {
  all: ['imports'] as const,
  detail: (id: string) => [...importKeys.all, id] as const,
  failures: (id: string) => [...importKeys.all, id, 'failures'] as const,
};

const finished = (job: ImportJob | undefined) => job?.status === 'completed' || job?.status === 'failed';

/** Uploads the file (and an optional zip of images) and queues the import; answers the job. */
export function startImport(
  file: File,
  options: { dryRun: boolean; withdrawMissing: boolean; archive?: File | null | undefined },
  onProgress?: (progress: UploadProgress) => void,
): Promise<ImportJob> {
  const body = new FormData();
  body.append('file', file, file.name);
  if (options.archive) body.append('archive', options.archive, options.archive.name);
  const query = new URLSearchParams({
    dryRun: String(options.dryRun),
    withdrawMissing: String(options.withdrawMissing),
  });
  return apiUpload<ImportJob>(`${IMPORTS}?${query}`, body, { onProgress });
}

/**
 * An import until it finishes: refetched whenever the realtime hub says it progressed (on my own
 * user channel), and polled every few seconds in case the socket is down. When a real import
 * finishes, my listings are refetched.
 */
export function useImportJob(id: string | null) {
  const queryClient = useQueryClient();
  const { user } = useSession();
  useRealtimeChannel(user && id ? `user:${user.id}` : null, (event) => {
    if (event.event === 'imports.progressed' && (event.data as { importId?: string }).importId === id)
      void queryClient.invalidateQueries({ queryKey: importKeys.detail(id ?? 'none') });
  });
  return useQuery({
    queryKey: importKeys.detail(id ?? 'none'),
    enabled: id !== null,
    queryFn: async ({ signal }) => {
      const job = await apiFetch<ImportJob>(`${IMPORTS}/${encodeURIComponent(id ?? '')}`, { signal });
      if (finished(job) && !job.dryRun) void queryClient.invalidateQueries({ queryKey: listingKeys.all });
      return job;
    },
    refetchInterval: (query) => (finished(query.state.data) ? false : 3000),
  });
}

/** The first failed rows of a finished import, with the reason per field. */
export function useImportFailures(job: ImportJob | undefined) {
  return useQuery({
    queryKey: importKeys.failures(job?.id ?? 'none'),
    enabled: Boolean(job && finished(job) && job.progress.failed > 0),
    queryFn: ({ signal }) =>
      apiFetch<ImportFailurePage>(`${IMPORTS}/${encodeURIComponent(job?.id ?? '')}/failures?limit=50`, {
        signal,
      }),
  });
}
