import type { WalletBalance } from '@souk/contracts';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useSearchParams } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { CURRENCIES, parseMajorAmount } from '../../lib/money';
import { useDocumentTitle } from '../../lib/use-document-title';
import { RequireAuth } from '../../shell/require-auth';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { primaryButton } from '../../ui/form/buttons';
import { BalanceChart } from './balance-chart';
import { showMoney } from './wallet-format';
import { WalletHistory } from './wallet-history';
import { WalletPayouts } from './wallet-payouts';
import { newIdempotencyKey, useBalanceHistory, useStartTopUp, useWalletSummary } from './wallet-queries';
import { inputClass } from './wallet-styles';

const card = 'rounded-2xl border border-stone-200 bg-white p-4 sm:p-6';

/** After the checkout: the return endpoint sends the member back here with the payment's status. */
function TopUpOutcome() {
  const [params] = useSearchParams();
  const status = params.get('status');
  if (!params.get('paymentId') || !status) return null;
  const id =
    status === 'captured'
      ? 'wallet.topUp.succeeded'
      : status === 'failed' || status === 'canceled'
        ? 'wallet.topUp.failed'
        : 'wallet.topUp.processing';
  return (
    <p role="status" className="mb-4 rounded-xl bg-brand-50 px-4 py-3 text-sm text-stone-800">
      <FormattedMessage id={id} />
    </p>
  );
}

function Balances({ balances }: { balances: WalletBalance[] }) {
  const t = useT();
  if (balances.length === 0)
    return (
      <EmptyState title={t('wallet.balances.emptyTitle')}>
        <FormattedMessage id="wallet.balances.emptyBody" />
      </EmptyState>
    );
  return (
    <ul className="grid gap-3 sm:grid-cols-2">
      {balances.map((balance) => (
        <li key={balance.currency} className={card} data-testid={`balance-${balance.currency}`}>
          <p className="text-sm text-stone-600">
            <FormattedMessage id="wallet.balances.available" values={{ currency: balance.currency }} />
          </p>
          <p className="text-2xl font-bold text-stone-900" data-testid={`available-${balance.currency}`}>
            {showMoney(balance.available)}
          </p>
          <dl className="mt-2 grid grid-cols-2 gap-1 text-xs text-stone-600">
            <dt>
              <FormattedMessage id="wallet.account.pendingPayout" />
            </dt>
            <dd className="text-end">{showMoney(balance.pendingPayout)}</dd>
            <dt>
              <FormattedMessage id="wallet.account.held" />
            </dt>
            <dd className="text-end">{showMoney(balance.held)}</dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}

function Chart({ currencies }: { currencies: string[] }) {
  const t = useT();
  const [chosen, setChosen] = useState<string | null>(null);
  const currency = chosen ?? currencies[0] ?? null;
  const history = useBalanceHistory(currency);
  if (!currency) return null;
  return (
    <section aria-labelledby="chart-heading" className={`${card} mt-4`}>
      <div className="flex items-center justify-between gap-2">
        <h2 id="chart-heading" className="font-semibold text-stone-900">
          <FormattedMessage id="wallet.chart.title" />
        </h2>
        {currencies.length > 1 && (
          <select
            aria-label={t('wallet.chart.currency')}
            value={currency}
            onChange={(event) => setChosen(event.target.value)}
            className={inputClass}
          >
            {currencies.map((code) => (
              <option key={code}>{code}</option>
            ))}
          </select>
        )}
      </div>
      {history.data ? (
        <BalanceChart history={history.data} label={t('wallet.chart.label', { currency })} />
      ) : history.isError ? (
        <p className="mt-2 text-sm text-red-700">{describeError(history.error)}</p>
      ) : (
        <div className="mt-2 h-32 animate-pulse rounded bg-stone-100" />
      )}
    </section>
  );
}

function TopUp() {
  const t = useT();
  const start = useStartTopUp();
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState<string>('LKR');
  const [problem, setProblem] = useState<string | null>(null);
  const [key] = useState(newIdempotencyKey);
  return (
    <section aria-labelledby="top-up-heading" className={`${card} mt-4`}>
      <h2 id="top-up-heading" className="font-semibold text-stone-900">
        <FormattedMessage id="wallet.topUp.title" />
      </h2>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const parsed = parseMajorAmount(amount, currency);
          if (!parsed.ok || parsed.minor <= 0) {
            setProblem(t('wallet.amountInvalid'));
            return;
          }
          setProblem(null);
          start.mutate(
            { amountMinor: parsed.minor, currency, key: `${key}-${currency}-${parsed.minor}` },
            { onSuccess: (started) => window.location.assign(started.checkoutUrl) },
          );
        }}
      >
        <label className="flex flex-col text-sm text-stone-700">
          <FormattedMessage id="wallet.topUp.amount" />
          <input
            inputMode="decimal"
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
            className={inputClass}
          />
        </label>
        <label className="flex flex-col text-sm text-stone-700">
          <FormattedMessage id="wallet.currency" />
          <select
            value={currency}
            onChange={(event) => setCurrency(event.target.value)}
            className={inputClass}
          >
            {CURRENCIES.map((code) => (
              <option key={code}>{code}</option>
            ))}
          </select>
        </label>
        <button type="submit" className={primaryButton} disabled={start.isPending}>
          <FormattedMessage id={start.isPending ? 'wallet.topUp.starting' : 'wallet.topUp.submit'} />
        </button>
      </form>
      <p className="mt-2 text-xs text-stone-500">
        <FormattedMessage id="wallet.topUp.hint" />
      </p>
      {(problem || start.isError) && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {problem ?? describeError(start.error)}
        </p>
      )}
    </section>
  );
}

function Wallet() {
  const t = useT();
  const summary = useWalletSummary();
  if (summary.isPending)
    return (
      <p role="status" className="py-10 text-center text-stone-600">
        <FormattedMessage id="wallet.loading" />
      </p>
    );
  if (!summary.data)
    return (
      <ErrorState
        title={t('wallet.loadFailed')}
        message={describeError(summary.error)}
        onRetry={() => void summary.refetch()}
        retrying={summary.isFetching}
      />
    );
  const { balances, payoutPolicy } = summary.data;
  return (
    <>
      <TopUpOutcome />
      <Balances balances={balances} />
      <Chart currencies={balances.map((balance) => balance.currency)} />
      <TopUp />
      <WalletHistory currencies={balances.map((balance) => balance.currency)} />
      <WalletPayouts balances={balances} policy={payoutPolicy} />
    </>
  );
}

export function WalletPage() {
  const t = useT();
  useDocumentTitle(t('wallet.title'));
  return (
    <RequireAuth>
      {() => (
        <div className="mx-auto max-w-3xl">
          <h1 className="mb-4 text-2xl font-bold text-stone-900">
            <FormattedMessage id="wallet.title" />
          </h1>
          <Wallet />
        </div>
      )}
    </RequireAuth>
  );
}
