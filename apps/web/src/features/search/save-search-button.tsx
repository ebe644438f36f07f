import type { AlertFrequency } from '@souk/contracts';
import { type FormEvent, useId, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../../i18n/use-t';
import { fieldControl } from '../../ui/field-styles';
import { useSession } from '../auth/auth-queries';
import { storedQuery, useSaveSearch } from './search-queries';

export function SaveSearchButton({ params }: { params: URLSearchParams }) {
  const t = useT();
  const { user } = useSession();
  const save = useSaveSearch();
  const [open, setOpen] = useState(false);
  const nameId = useId();
  const alertId = useId();
  if (!user) {
    return (
      <Link
        to={`/sign-in?next=${encodeURIComponent(`/search?${params}`)}`}
        className="rounded-full bg-brand-600 px-4 py-2 text-sm font-medium text-white"
      >
        <FormattedMessage id="search.save.open" />
      </Link>
    );
  }
  if (save.isSuccess) {
    return (
      <p className="text-sm text-green-700" role="status">
        <FormattedMessage id="search.save.done" />{' '}
        <Link to="/account/searches" className="underline">
          <FormattedMessage id="search.save.list" />
        </Link>
      </p>
    );
  }
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded-full bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
      >
        <FormattedMessage id="search.save.open" />
      </button>
    );
  }
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    save.mutate({
      name: String(data.get('name') ?? ''),
      alert: String(data.get('alert') ?? 'instant') as AlertFrequency,
      query: storedQuery(params),
    });
  }
  return (
    <form
      onSubmit={submit}
      className="flex flex-wrap items-end gap-2 rounded-xl border border-stone-200 bg-white p-2"
    >
      <label htmlFor={nameId} className="text-xs text-stone-600">
        <FormattedMessage id="search.save.name" />
        <input
          id={nameId}
          name="name"
          required
          maxLength={80}
          defaultValue={params.get('q') ?? t('search.save.defaultName')}
          className={`${fieldControl} mt-0.5`}
        />
      </label>
      <label htmlFor={alertId} className="text-xs text-stone-600">
        <FormattedMessage id="search.save.alert" />
        <select id={alertId} name="alert" defaultValue="instant" className={`${fieldControl} mt-0.5`}>
          <option value="instant">{t('search.save.instant')}</option>
          <option value="daily">{t('search.save.daily')}</option>
          <option value="weekly">{t('search.save.weekly')}</option>
          <option value="off">{t('search.save.off')}</option>
        </select>
      </label>
      <button
        type="submit"
        disabled={save.isPending}
        className="rounded-lg bg-brand-600 px-3 py-2 text-sm text-white"
      >
        <FormattedMessage id="search.save.submit" />
      </button>
      {save.error && <p className="text-sm text-red-700">{save.error.message}</p>}
    </form>
  );
}
