import type { PayoutPolicy, WalletBalance } from '@souk/contracts';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { formatDate } from '../../lib/format';
import { parseMajorAmount } from '../../lib/money';
import { EmptyState } from '../../ui/empty-state';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { PAYOUT_STATUS_MESSAGES, showMoney } from './wallet-format';
import {
  newIdempotencyKey,
  useAddPayoutMethod,
  usePayoutMethods,
  usePayouts,
  useRemovePayoutMethod,
  useRequestPayout,
} from './wallet-queries';
import { inputClass, walletCard } from './wallet-styles';

function Methods() {
  const methods = usePayoutMethods();
  const add = useAddPayoutMethod();
  const remove = useRemovePayoutMethod();
  const [form, setForm] = useState({ holderName: '', accountNumber: '', country: 'LK' });
  const items = methods.data?.items ?? [];
  return (
    <div>
      <h3 className="font-medium text-stone-900">
        <FormattedMessage id="wallet.methods.title" />
      </h3>
      {methods.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {describeError(methods.error)}
        </p>
      ) : items.length === 0 ? (
        <p className="mt-1 text-sm text-stone-600">
          <FormattedMessage id="wallet.methods.empty" />
        </p>
      ) : (
        <ul className="mt-2 divide-y divide-stone-200 text-sm">
          {items.map((method) => (
            <li key={method.id} className="flex items-center justify-between gap-2 py-2">
              <span>
                <FormattedMessage
                  id="wallet.methods.label"
                  values={{ type: method.type, label: method.label, holder: method.holderName }}
                />
              </span>
              <button
                type="button"
                className="text-red-700 underline"
                disabled={remove.isPending}
                onClick={() => remove.mutate(method.id)}
              >
                <FormattedMessage id="wallet.methods.remove" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="mt-3 grid gap-2 sm:grid-cols-4 sm:items-end"
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate(form, { onSuccess: () => setForm({ ...form, holderName: '', accountNumber: '' }) });
        }}
      >
        <label className="flex flex-col text-xs text-stone-700">
          <FormattedMessage id="wallet.methods.holder" />
          <input
            value={form.holderName}
            required
            onChange={(event) => setForm({ ...form, holderName: event.target.value })}
            className={inputClass}
          />
        </label>
        <label className="flex flex-col text-xs text-stone-700">
          <FormattedMessage id="wallet.methods.account" />
          <input
            value={form.accountNumber}
            required
            onChange={(event) => setForm({ ...form, accountNumber: event.target.value })}
            className={inputClass}
          />
        </label>
        <label className="flex flex-col text-xs text-stone-700">
          <FormattedMessage id="wallet.methods.country" />
          <input
            value={form.country}
            maxLength={2}
            required
            onChange={(event) => setForm({ ...form, country: event.target.value })}
            className={inputClass}
          />
        </label>
        <button type="submit" className={secondaryButton} disabled={add.isPending}>
          <FormattedMessage id="wallet.methods.add" />
        </button>
      </form>
      {add.isError && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {describeError(add.error)}
        </p>
      )}
    </div>
  );
}

function RequestPayout({ balances }: { balances: WalletBalance[] }) {
  const t = useT();
  const methods = usePayoutMethods();
  const request = useRequestPayout();
  const payable = balances.filter((balance) => balance.available.amountMinor > 0);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('');
  const [methodId, setMethodId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const items = methods.data?.items ?? [];
  const chosenCurrency = currency || payable[0]?.currency || '';
  const chosenMethod = methodId || items[0]?.id || '';
  if (payable.length === 0 || items.length === 0)
    return (
      <p className="mt-3 text-sm text-stone-600">
        <FormattedMessage
          id={payable.length === 0 ? 'wallet.payouts.nothingToPay' : 'wallet.payouts.addMethodFirst'}
        />
      </p>
    );
  return (
    <form
      className="mt-3 grid gap-2 sm:grid-cols-4 sm:items-end"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = parseMajorAmount(amount, chosenCurrency);
        if (!parsed.ok || parsed.minor <= 0) {
          setProblem(t('wallet.amountInvalid'));
          return;
        }
        setProblem(null);
        request.mutate(
          { amountMinor: parsed.minor, currency: chosenCurrency, methodId: chosenMethod, key },
          {
            onSuccess: () => {
              setAmount('');
              setKey(newIdempotencyKey());
            },
          },
        );
      }}
    >
      <label className="flex flex-col text-xs text-stone-700">
        <FormattedMessage id="wallet.payouts.amount" />
        <input
          inputMode="decimal"
          value={amount}
          onChange={(event) => setAmount(event.target.value)}
          className={inputClass}
        />
      </label>
      <label className="flex flex-col text-xs text-stone-700">
        <FormattedMessage id="wallet.currency" />
        <select
          value={chosenCurrency}
          onChange={(event) => setCurrency(event.target.value)}
          className={inputClass}
        >
          {payable.map((balance) => (
            <option key={balance.currency}>{balance.currency}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs text-stone-700">
        <FormattedMessage id="wallet.payouts.method" />
        <select
          value={chosenMethod}
          onChange={(event) => setMethodId(event.target.value)}
          className={inputClass}
        >
          {items.map((method) => (
            <option key={method.id} value={method.id}>
              {method.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className={primaryButton} disabled={request.isPending}>
        <FormattedMessage id="wallet.payouts.request" />
      </button>
      {(problem || request.isError) && (
        <p role="alert" className="text-sm text-red-700 sm:col-span-4">
          {problem ?? describeError(request.error)}
        </p>
      )}
    </form>
  );
}

function PayoutList() {
  const t = useT();
  const payouts = usePayouts();
  const items = payouts.data?.pages.flatMap((page) => page.items) ?? [];
  if (payouts.isError && !payouts.data)
    return (
      <p role="alert" className="mt-3 text-sm text-red-700">
        {describeError(payouts.error)}
      </p>
    );
  if (items.length === 0) return payouts.isPending ? null : <EmptyState title={t('wallet.payouts.empty')} />;
  return (
    <ul className="mt-3 divide-y divide-stone-200 text-sm" aria-label={t('wallet.payouts.listLabel')}>
      {items.map((payout) => {
        const status = PAYOUT_STATUS_MESSAGES[payout.status];
        const waiting = payout.status === 'pending' && Date.parse(payout.releaseAt) > Date.now();
        return (
          <li key={payout.id} className="flex items-center justify-between gap-2 py-2">
            <div>
              <p className="font-medium text-stone-900">{showMoney(payout.amount)}</p>
              <p className="text-xs text-stone-500">
                {payout.methodLabel} · {formatDate(payout.createdAt)}
              </p>
              {waiting && (
                <p className="text-xs text-stone-500">
                  <FormattedMessage
                    id="wallet.payouts.releaseAt"
                    values={{ date: formatDate(payout.releaseAt) }}
                  />
                </p>
              )}
              {payout.rejectionReason && <p className="text-xs text-red-700">{payout.rejectionReason}</p>}
            </div>
            <span
              className="rounded-full bg-stone-100 px-3 py-1 text-xs font-semibold text-stone-800"
              data-status={payout.status}
            >
              {status ? t(status) : payout.status}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

export function WalletPayouts({ balances, policy }: { balances: WalletBalance[]; policy: PayoutPolicy }) {
  return (
    <section aria-labelledby="payouts-heading" className={`${walletCard} mt-4`}>
      <h2 id="payouts-heading" className="font-semibold text-stone-900">
        <FormattedMessage id="wallet.payouts.title" />
      </h2>
      {policy.heldUntil && (
        <p className="mt-1 text-sm text-stone-600">
          <FormattedMessage
            id="wallet.payouts.newSellerHold"
            values={{ days: policy.newSellerHoldDays, date: formatDate(policy.heldUntil) }}
          />
        </p>
      )}
      <div className="mt-3">
        <Methods />
      </div>
      <RequestPayout balances={balances} />
      <PayoutList />
    </section>
  );
}
