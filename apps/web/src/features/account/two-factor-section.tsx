import type { SessionUser } from '@souk/contracts';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { dangerButton, primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { TextField } from '../../ui/form/text-field';
import {
  type TotpEnrolment,
  useDisableTotp,
  useRegenerateRecoveryCodes,
  useStartTotp,
} from '../auth/auth-queries';
import { AccountSection } from './account-section';
import { PasswordConfirmForm } from './password-confirm-form';
import { RecoveryCodes } from './recovery-codes';
import { TotpSetup } from './totp-setup';

type Mode = 'idle' | 'disable' | 'regenerate';

function StatusLine({ on }: { on: boolean }) {
  return (
    <p className="flex items-center gap-2 text-sm font-medium text-stone-800">
      <span
        aria-hidden="true"
        className={`inline-block size-2.5 rounded-full ${on ? 'bg-emerald-600' : 'bg-stone-400'}`}
      />
      <FormattedMessage id="account.twoFactorSection.status" values={{ on: on ? 'on' : 'off' }} />
    </p>
  );
}

function TurnedOn({ user, onCodes }: { user: SessionUser; onCodes: (codes: string[]) => void }) {
  const t = useT();
  const [mode, setMode] = useState<Mode>('idle');
  const disable = useDisableTotp();
  const regenerate = useRegenerateRecoveryCodes();

  // An account without a password (signed up through a provider) confirms with a current code.
  const proofOf = (password: string | null, data: FormData) =>
    user.hasPassword ? { password: password ?? '' } : { code: String(data.get('code') ?? '').trim() };
  const codeField = user.hasPassword
    ? undefined
    : (fields: Record<string, string>) => (
        <TextField
          label={t('account.twoFactorSection.6DigitCode')}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          hint={t('account.twoFactorSection.yourAccountHasNo')}
          error={fields.code}
        />
      );
  const checkCode = user.hasPassword
    ? undefined
    : (data: FormData): Record<string, string> =>
        /^\d{6}$/.test(String(data.get('code') ?? '').trim())
          ? {}
          : { code: 'enter the 6-digit code from your app' };

  if (mode === 'disable') {
    return (
      <PasswordConfirmForm
        askPassword={user.hasPassword}
        extra={codeField}
        check={checkCode}
        submitLabel={t('account.twoFactorSection.turnOffTwoFactor')}
        pendingLabel={t('account.twoFactorSection.turningOff')}
        submitClassName={dangerButton}
        pending={disable.isPending}
        error={disable.error}
        onCancel={() => setMode('idle')}
        onSubmit={(password, data) =>
          disable.mutate(proofOf(password, data), { onSuccess: () => setMode('idle') })
        }
      />
    );
  }

  if (mode === 'regenerate') {
    return (
      <PasswordConfirmForm
        askPassword={user.hasPassword}
        check={checkCode}
        submitLabel={t('account.twoFactorSection.makeNewCodes')}
        pendingLabel={t('account.twoFactorSection.makingCodes')}
        pending={regenerate.isPending}
        error={regenerate.error}
        onCancel={() => setMode('idle')}
        extra={(fields) => (
          <>
            <p className="text-sm text-stone-700">
              <FormattedMessage id="account.twoFactorSection.yourOldRecoveryCodes" />
            </p>
            {codeField?.(fields)}
          </>
        )}
        onSubmit={(password, data) =>
          regenerate.mutate(proofOf(password, data), {
            onSuccess: (result) => {
              setMode('idle');
              onCodes(result.recoveryCodes);
            },
          })
        }
      />
    );
  }

  return (
    <div className="space-y-4">
      <StatusLine on />
      <p className="text-sm text-stone-700">
        <FormattedMessage id="account.twoFactorSection.signingAsksCodeFrom" />
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="button" onClick={() => setMode('regenerate')} className={secondaryButton}>
          <FormattedMessage id="account.twoFactorSection.newRecoveryCodes" />
        </button>
        <button type="button" onClick={() => setMode('disable')} className={secondaryButton}>
          <FormattedMessage id="account.twoFactorSection.turnOff" />
        </button>
      </div>
    </div>
  );
}

function TurnedOff({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const t = useT();
  const start = useStartTotp();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  if (enrolment) {
    return <TotpSetup enrolment={enrolment} onConfirmed={onCodes} onCancel={() => setEnrolment(null)} />;
  }
  return (
    <div className="space-y-4">
      <StatusLine on={false} />
      <p className="text-sm text-stone-700">
        <FormattedMessage id="account.twoFactorSection.addSecondStepSigning" />
      </p>
      {start.isError && <FormAlert tone="error">{describeError(start.error)}</FormAlert>}
      <button
        type="button"
        onClick={() => start.mutate(undefined, { onSuccess: setEnrolment })}
        disabled={start.isPending}
        className={primaryButton}
      >
        {start.isPending
          ? t('account.twoFactorSection.starting')
          : t('account.twoFactorSection.setUpTwoFactor')}
      </button>
    </div>
  );
}

export function TwoFactorSection({ user }: { user: SessionUser }) {
  const t = useT();
  // Kept here: confirming turns two-factor on, which swaps the panels, but the codes must stay.
  const [codes, setCodes] = useState<string[] | null>(null);
  return (
    <AccountSection id="two-factor" title={t('account.twoFactorSection.twoFactorAuthentication2')}>
      {codes ? (
        <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />
      ) : user.twoFactorEnabled ? (
        <TurnedOn user={user} onCodes={setCodes} />
      ) : (
        <TurnedOff onCodes={setCodes} />
      )}
    </AccountSection>
  );
}
