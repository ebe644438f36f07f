import type { WalletHistoryFilter } from '@souk/contracts';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { formatDate } from '../../lib/format';
import { EmptyState } from '../../ui/empty-state';
import { secondaryButton, textLink } from '../../ui/form/buttons';
import { ACCOUNT_MESSAGES, referenceMessage, showMoney, signedMoney } from './wallet-format';
import { filterQuery, useWalletHistory } from './wallet-queries';
import { inputClass, walletCard } from './wallet-styles';

const REFERENCE_TYPES = ['top_up', 'payout', 'payout_return', 'top_up_refund', 'order', 'fee'];

function Filters({
  filter,
  currencies,
  onChange,
}: {
  filter: WalletHistoryFilter;
  currencies: string[];
  onChange: (next: WalletHistoryFilter) => void;
}) {
  const t = useT();
  const set = (key: keyof WalletHistoryFilter, value: string) =>
    onChange({ ...filter, [key]: value || undefined });
  return (
    <div className="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-5">
      <label className="flex flex-col text-xs text-stone-700">
        <FormattedMessage id="wallet.currency" />
        <select
          value={filter.currency ?? ''}
          onChange={(event) => set('currency', event.target.value)}
          className={inputClass}
        >
          <option value="">{t('wallet.history.all')}</option>
          {currencies.map((code) => (
            <option key={code}>{code}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs text-stone-700">
        <FormattedMessage id="wallet.history.account" />
        <select
          value={filter.account ?? ''}
          onChange={(event) => set('account', event.target.value)}
          className={inputClass}
        >
          <option value="">{t('wallet.history.all')}</option>
          {Object.entries(ACCOUNT_MESSAGES).map(([value, id]) => (
            <option key={value} value={value}>
              {t(id)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs text-stone-700">
        <FormattedMessage id="wallet.history.kind" />
        <select
          value={filter.referenceType ?? ''}
          onChange={(event) => set('referenceType', event.target.value)}
          className={inputClass}
        >
          <option value="">{t('wallet.history.all')}</option>
          {REFERENCE_TYPES.map((type) => {
            const id = referenceMessage(type);
            return (
              <option key={type} value={type}>
                {id ? t(id) : type}
              </option>
            );
          })}
        </select>
      </label>
      <label className="flex flex-col text-xs text-stone-700">
        <FormattedMessage id="wallet.history.from" />
        <input
          type="date"
          value={filter.from ?? ''}
          onChange={(event) => set('from', event.target.value)}
          className={inputClass}
        />
      </label>
      <label className="flex flex-col text-xs text-stone-700">
        <FormattedMessage id="wallet.history.to" />
        <input
          type="date"
          value={filter.to ?? ''}
          onChange={(event) => set('to', event.target.value)}
          className={inputClass}
        />
      </label>
    </div>
  );
}

export function WalletHistory({ currencies }: { currencies: string[] }) {
  const t = useT();
  const [filter, setFilter] = useState<WalletHistoryFilter>({});
  const history = useWalletHistory(filter);
  const items = history.data?.pages.flatMap((page) => page.items) ?? [];
  const query = filterQuery(filter);
  return (
    <section aria-labelledby="history-heading" className={`${walletCard} mt-4`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="history-heading" className="font-semibold text-stone-900">
          <FormattedMessage id="wallet.history.title" />
        </h2>
        <a
          href={`/api/v1/wallet/statement.csv${query ? `?${query}` : ''}`}
          className={`${textLink} text-sm`}
          download
        >
          <FormattedMessage id="wallet.history.statement" />
        </a>
      </div>
      <Filters filter={filter} currencies={currencies} onChange={setFilter} />
      {history.isError && !history.data ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {describeError(history.error)}
        </p>
      ) : history.isPending ? (
        <p role="status" className="mt-3 text-sm text-stone-600">
          <FormattedMessage id="wallet.loading" />
        </p>
      ) : items.length === 0 ? (
        <div className="mt-3">
          <EmptyState title={t('wallet.history.empty')} />
        </div>
      ) : (
        <ul className="mt-3 divide-y divide-stone-200" aria-label={t('wallet.history.title')}>
          {items.map((item) => {
            const reference = referenceMessage(item.referenceType);
            const account = ACCOUNT_MESSAGES[item.account];
            return (
              <li key={item.id} className="flex items-center justify-between gap-3 py-2 text-sm">
                <div className="min-w-0">
                  <p className="font-medium text-stone-900">
                    {reference ? t(reference) : item.referenceType}
                  </p>
                  <p className="text-xs text-stone-500">
                    {formatDate(item.at)}
                    {account ? ` · ${t(account)}` : ''}
                  </p>
                </div>
                <div className="text-end">
                  <p
                    className={
                      item.amount.amountMinor < 0
                        ? 'font-semibold text-red-700'
                        : 'font-semibold text-green-700'
                    }
                  >
                    {signedMoney(item.amount)}
                  </p>
                  <p className="text-xs text-stone-500">{showMoney(item.balanceAfter)}</p>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {history.hasNextPage && (
        <div className="mt-3 flex justify-center">
          <button
            type="button"
            className={secondaryButton}
            onClick={() => void history.fetchNextPage()}
            disabled={history.isFetchingNextPage}
          >
            <FormattedMessage id={history.isFetchingNextPage ? 'wallet.loading' : 'wallet.history.more'} />
          </button>
        </div>
      )}
    </section>
  );
}
