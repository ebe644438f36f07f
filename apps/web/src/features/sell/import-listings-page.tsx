import type { ImportJob } from '@souk/contracts';
import { useId, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { RequireAuth } from '../../shell/require-auth';
import { primaryButton, secondaryButton, textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { startImport, useImportFailures, useImportJob } from './imports-queries';

const ACTION_LABELS: Record<ImportJob['preview'][number]['action'], string> = {
  create: 'New',
  update: 'Changed',
  unchanged: 'Unchanged',
  failed: 'Error',
};

const number = (value: number) => value.toLocaleString();

function Counters({ job }: { job: ImportJob }) {
  const t = useT();
  const p = job.progress;
  const verb = job.dryRun ? 'would be ' : '';
  const items = [
    [`${verb}created`, p.created],
    [`${verb}updated`, p.updated],
    ['unchanged', p.unchanged],
    ['failed', p.failed],
    ...(job.withdrawMissing && !job.dryRun ? [['withdrawn', p.withdrawn] as const] : []),
  ] as const;
  return (
    <dl
      className="grid grid-cols-2 gap-3 sm:grid-cols-5"
      aria-label={t('sell.importListingsPage.importCounts')}
    >
      {items.map(([label, value]) => (
        <div key={label} className="rounded-xl border border-stone-200 bg-white px-3 py-2">
          <dt className="text-xs text-stone-500">{label}</dt>
          <dd
            className={`text-lg font-semibold ${label === 'failed' && value > 0 ? 'text-red-700' : 'text-stone-900'}`}
          >
            {number(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function ProgressBar({ job }: { job: ImportJob }) {
  const t = useT();
  const { bytesDone, bytesTotal, rowsDone } = job.progress;
  const done = job.status === 'completed' || job.status === 'failed';
  const percent = done ? 100 : bytesTotal > 0 ? Math.min(99, Math.floor((bytesDone / bytesTotal) * 100)) : 0;
  return (
    <div>
      <div className="flex justify-between text-sm text-stone-700">
        <span>
          {job.status === 'queued'
            ? t('sell.importListingsPage.waitingStart')
            : t('sell.importListingsPage.rows', {
                rowsDone: number(rowsDone),
                value: done ? 'read' : 'so far',
              })}
        </span>
        <span>{percent}%</span>
      </div>
      <div
        role="progressbar"
        aria-label={t('sell.importListingsPage.importProgress')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="mt-1 h-2 overflow-hidden rounded-full bg-stone-200"
      >
        <div className="h-full rounded-full bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

function PreviewTable({ job }: { job: ImportJob }) {
  if (job.preview.length === 0) return null;
  return (
    <div className="overflow-x-auto rounded-2xl border border-stone-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="px-4 pt-3 text-left text-sm font-semibold text-stone-900">
          <FormattedMessage id="sell.importListingsPage.firstRows" values={{ count: job.preview.length }} />
        </caption>
        <thead className="text-xs text-stone-500">
          <tr>
            <th className="px-4 py-2">
              <FormattedMessage id="sell.importListingsPage.row" />
            </th>
            <th className="px-4 py-2">
              <FormattedMessage id="sell.importListingsPage.stockNo" />
            </th>
            <th className="px-4 py-2">
              <FormattedMessage id="sell.importListingsPage.title" />
            </th>
            <th className="px-4 py-2">
              <FormattedMessage id="sell.importListingsPage.result" />
            </th>
          </tr>
        </thead>
        <tbody>
          {job.preview.map((row) => (
            <tr key={row.row} className="border-t border-stone-100 align-top">
              <td className="px-4 py-2 text-stone-500">{row.row}</td>
              <td className="px-4 py-2 font-mono text-xs">{row.externalId ?? '—'}</td>
              <td className="px-4 py-2">{row.title ?? '—'}</td>
              <td className="px-4 py-2">
                <span className={row.action === 'failed' ? 'font-semibold text-red-700' : 'text-stone-800'}>
                  {ACTION_LABELS[row.action]}
                </span>
                {row.errors.length > 0 && (
                  <ul className="mt-1 space-y-0.5 text-xs text-red-800">
                    {row.errors.map((error) => (
                      <li key={`${error.path}:${error.message}`}>
                        <span className="font-mono">{error.path}</span>: {error.message}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Failures({ job }: { job: ImportJob }) {
  const t = useT();
  const failures = useImportFailures(job);
  if (job.progress.failed === 0) return null;
  return (
    <section aria-labelledby="failed-rows" className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="failed-rows" className="font-semibold text-stone-900">
          {job.dryRun
            ? t('sell.importListingsPage.rowsThatWouldNot')
            : t('sell.importListingsPage.rowsThatWereNot')}
        </h2>
        <a href={job.reportUrl} download className={secondaryButton}>
          <FormattedMessage id="sell.importListingsPage.downloadReportCsv" />
        </a>
      </div>
      {failures.isError && <p className="text-sm text-red-700">{describeError(failures.error)}</p>}
      {failures.data && (
        <ul className="space-y-1 text-sm">
          {failures.data.items.map((failure) => (
            <li key={failure.row} className="rounded-lg bg-red-50 px-3 py-2 text-red-900">
              <FormattedMessage id="sell.importListingsPage.row2" values={{ row: failure.row }} />
              {failure.externalId ? ` (${failure.externalId})` : ''}:{' '}
              {failure.errors.map((error) => `${error.path}: ${error.message}`).join('; ')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ImportListings() {
  const t = useT();
  const fileId = useId();
  const archiveId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [archive, setArchive] = useState<File | null>(null);
  const [withdrawMissing, setWithdrawMissing] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [uploading, setUploading] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useImportJob(jobId);
  const current = job.data;
  const running =
    uploading !== null ||
    (current !== undefined && (current.status === 'queued' || current.status === 'running'));

  async function submit(dryRun: boolean) {
    if (!file) {
      setError('Choose a CSV or JSON Lines file first.');
      return;
    }
    setError(null);
    setUploading(0);
    try {
      const started = await startImport(file, { dryRun, withdrawMissing, archive }, (progress) =>
        setUploading(Math.round((progress.loaded / Math.max(progress.total, 1)) * 100)),
      );
      setJobId(started.id);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setUploading(null);
    }
  }

  const dryRunDone = current?.dryRun && current.status === 'completed';

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link to="/account/listings" className={textLink}>
            <FormattedMessage id="sell.importListingsPage.myListings" />
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">
          <FormattedMessage id="sell.importListingsPage.importListings" />
        </h1>
        <p className="mt-2 max-w-2xl text-sm text-stone-700">
          <FormattedMessage
            id="sell.importListingsPage.uploadCsvFileWith"
            values={{
              code: (chunks) => <code>{chunks}</code>,
              code2: (chunks) => <code>{chunks}</code>,
              code3: (chunks) => <code>{chunks}</code>,
              code4: (chunks) => <code>{chunks}</code>,
              code5: (chunks) => <code>{chunks}</code>,
              code6: (chunks) => <code>{chunks}</code>,
              code7: (chunks) => <code>{chunks}</code>,
              code8: (chunks) => <code>{chunks}</code>,
              code9: (chunks) => <code>{chunks}</code>,
              code10: (chunks) => <code>{chunks}</code>,
              code11: (chunks) => <code>{chunks}</code>,
              code12: (chunks) => <code>{chunks}</code>,
              code13: (chunks) => <code>{chunks}</code>,
              code14: (chunks) => <code>{chunks}</code>,
              code15: (chunks) => <code>{chunks}</code>,
              code16: (chunks) => <code>{chunks}</code>,
              code17: (chunks) => <code>{chunks}</code>,
            }}
          />
        </p>
      </div>

      <form
        className="space-y-4 rounded-2xl border border-stone-200 bg-white p-4"
        onSubmit={(event) => {
          event.preventDefault();
          void submit(true);
        }}
      >
        <div>
          <label htmlFor={fileId} className="block text-sm font-semibold text-stone-900">
            <FormattedMessage id="sell.importListingsPage.listingsFileCsvOr" />
          </label>
          <input
            id={fileId}
            type="file"
            accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setJobId(null);
            }}
            className="mt-1 block w-full text-sm"
          />
        </div>
        <div>
          <label htmlFor={archiveId} className="block text-sm font-semibold text-stone-900">
            <FormattedMessage id="sell.importListingsPage.imagesOptionalZipRows" />
          </label>
          <input
            id={archiveId}
            type="file"
            accept=".zip,application/zip"
            onChange={(event) => setArchive(event.target.files?.[0] ?? null)}
            className="mt-1 block w-full text-sm"
          />
        </div>
        <label className="flex items-start gap-2 text-sm text-stone-800">
          <input
            type="checkbox"
            checked={withdrawMissing}
            onChange={(event) => setWithdrawMissing(event.target.checked)}
            className="mt-0.5"
          />
          <span>
            <FormattedMessage id="sell.importListingsPage.takeMyImportedListings" />
          </span>
        </label>
        {error && <FormAlert tone="error">{error}</FormAlert>}
        <div className="flex flex-wrap gap-3">
          <button type="submit" className={secondaryButton} disabled={running || !file}>
            <FormattedMessage id="sell.importListingsPage.checkFile" />
          </button>
          <button
            type="button"
            className={primaryButton}
            disabled={running || !file}
            onClick={() => void submit(false)}
          >
            {dryRunDone ? t('sell.importListingsPage.startImport') : t('sell.importListingsPage.importNow')}
          </button>
        </div>
        {uploading !== null && (
          <p role="status" className="text-sm text-stone-700">
            <FormattedMessage id="sell.importListingsPage.uploading" values={{ uploading }} />
          </p>
        )}
      </form>

      {job.isError && <FormAlert tone="error">{describeError(job.error)}</FormAlert>}
      {current && (
        <section aria-labelledby="import-status" className="space-y-4">
          <h2 id="import-status" className="text-lg font-semibold text-stone-900">
            {current.dryRun
              ? current.status === 'completed'
                ? t('sell.importListingsPage.checkFinishedNothingWas')
                : t('sell.importListingsPage.checkingYourFile')
              : current.status === 'completed'
                ? t('sell.importListingsPage.importFinished')
                : current.status === 'failed'
                  ? t('sell.importListingsPage.importStopped')
                  : t('sell.importListingsPage.importing')}
          </h2>
          <ProgressBar job={current} />
          <Counters job={current} />
          {current.error && <FormAlert tone="error">{current.error}</FormAlert>}
          {dryRunDone && (
            <FormAlert tone="info">
              {current.progress.failed > 0
                ? t('sell.importListingsPage.rowsWithErrorsWill')
                : t('sell.importListingsPage.everyRowFineStart')}
            </FormAlert>
          )}
          <PreviewTable job={current} />
          <Failures job={current} />
        </section>
      )}
    </div>
  );
}

export function ImportListingsPage() {
  useDocumentTitle('Import listings');
  return <RequireAuth>{() => <ImportListings />}</RequireAuth>;
}
