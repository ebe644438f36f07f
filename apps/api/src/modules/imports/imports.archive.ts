import { createHash } from 'node:crypto';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** An archive of images an import names by path (`photos/car-1.jpg`). */
export type ImageArchive = {
  has(path: string): boolean;
  /** The file's bytes, at most `maxBytes` (the size is checked as it inflates, not trusted). */
  read(path: string): Promise<Buffer>;
  close(): void;
};

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

const MAX_ENTRIES = 200_000;

/** `./photos\\a.jpg` and `photos/a.jpg` name the same file; `..` names none. */
export function normalizeArchivePath(path: string): string | null {
  const parts = path
    .replaceAll('\\', '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || parts.includes('..')) return null;
  return parts.join('/');
}

/** Opens a zip file on disk and indexes its files (the central directory only; nothing inflates). */
export async function openImageArchive(path: string, maxBytes: number): Promise<ImageArchive> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false }, (error, file) =>
      error
        ? reject(new ArchiveError(`the archive is not a readable zip file (${error.message})`))
        : resolve(file),
    ),
  );
  const entries = new Map<string, Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      if (entries.size >= MAX_ENTRIES) {
        reject(new ArchiveError(`the archive has more than ${MAX_ENTRIES} files`));
        return;
      }
      const name = normalizeArchivePath(entry.fileName);
      if (name && !entry.fileName.endsWith('/')) entries.set(name, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (error: Error) => reject(new ArchiveError(`the archive is damaged (${error.message})`)));
    zip.readEntry();
  }).catch((error) => {
    zip.close();
    throw error;
  });

  return {
    has: (name) => {
      const normalized = normalizeArchivePath(name);
      return normalized !== null && entries.has(normalized);
    },
    async read(name) {
      const normalized = normalizeArchivePath(name);
      const entry = normalized ? entries.get(normalized) : undefined;
      if (!entry) throw new ArchiveError('is not in the archive');
      const megabytes = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
      if (entry.uncompressedSize > maxBytes) throw new ArchiveError(`is larger than ${megabytes} MB`);
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(entry, (error, readable) =>
          error ? reject(new ArchiveError(`cannot be read (${error.message})`)) : resolve(readable),
        ),
      );
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of stream) {
          size += (chunk as Buffer).length;
          // yauzl also checks the declared size; this caps a lying header all the same.
          if (size > maxBytes) throw new ArchiveError(`is larger than ${megabytes} MB`);
          chunks.push(chunk as Buffer);
        }
      } catch (error) {
        (stream as unknown as { destroy?: () => void }).destroy?.();
        if (error instanceof ArchiveError) throw error;
        throw new ArchiveError(`cannot be read (${(error as Error).message})`);
      }
      return Buffer.concat(chunks);
    },
    close: () => zip.close(),
  };
}

/** How an imported image from an archive is remembered: its path and a digest of its bytes. */
export function archiveSourceKey(path: string, bytes: Buffer): string {
  return `zip:${normalizeArchivePath(path) ?? path}#${createHash('sha256').update(bytes).digest('base64url').slice(0, 16)}`;
}

/** The path an export writes for an image that came from an archive. */
export function archivePathOf(sourceKey: string): string | null {
  const match = /^zip:(.*)#[\w-]+$/.exec(sourceKey);
  return match ? (match[1] as string) : null;
}
