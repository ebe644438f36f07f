import type { SessionUser } from '@souk/contracts';
import { useState } from 'react';
import { type TotpEnrolment, useDisableTotp, useRegenerateRecoveryCodes, useStartTotp } from '../../api/auth';
import { describeError } from '../../api/client';
import { dangerButton, primaryButton, secondaryButton } from '../form/buttons';
import { FormAlert } from '../form/form-alert';
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
      Two-factor authentication is {on ? 'on' : 'off'}.
    </p>
  );
}

function TurnedOn({ user, onCodes }: { user: SessionUser; onCodes: (codes: string[]) => void }) {
  const [mode, setMode] = useState<Mode>('idle');
  const disable = useDisableTotp();
  const regenerate = useRegenerateRecoveryCodes();

  if (!user.hasPassword) {
    return (
      <div className="space-y-3">
        <StatusLine on />
        <p className="text-sm text-stone-700">
          To turn it off or get new recovery codes, set a password first (see Password above).
        </p>
      </div>
    );
  }

  if (mode === 'disable') {
    return (
      <PasswordConfirmForm
        askPassword
        submitLabel="Turn off two-factor"
        pendingLabel="Turning off…"
        submitClassName={dangerButton}
        pending={disable.isPending}
        error={disable.error}
        onCancel={() => setMode('idle')}
        onSubmit={(password) =>
          disable.mutate({ password: password ?? '' }, { onSuccess: () => setMode('idle') })
        }
      />
    );
  }

  if (mode === 'regenerate') {
    return (
      <PasswordConfirmForm
        askPassword
        submitLabel="Make new codes"
        pendingLabel="Making codes…"
        pending={regenerate.isPending}
        error={regenerate.error}
        onCancel={() => setMode('idle')}
        extra={() => <p className="text-sm text-stone-700">Your old recovery codes will stop working.</p>}
        onSubmit={(password) =>
          regenerate.mutate(
            { password: password ?? '' },
            {
              onSuccess: (result) => {
                setMode('idle');
                onCodes(result.recoveryCodes);
              },
            },
          )
        }
      />
    );
  }

  return (
    <div className="space-y-4">
      <StatusLine on />
      <p className="text-sm text-stone-700">Signing in asks for a code from your authenticator app.</p>
      <div className="flex flex-wrap gap-2">
        <button type="button" onClick={() => setMode('regenerate')} className={secondaryButton}>
          New recovery codes
        </button>
        <button type="button" onClick={() => setMode('disable')} className={secondaryButton}>
          Turn off
        </button>
      </div>
    </div>
  );
}

function TurnedOff({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const start = useStartTotp();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  if (enrolment) {
    return <TotpSetup enrolment={enrolment} onConfirmed={onCodes} onCancel={() => setEnrolment(null)} />;
  }
  return (
    <div className="space-y-4">
      <StatusLine on={false} />
      <p className="text-sm text-stone-700">
        Add a second step to signing in: a code from an app on your phone. Someone who learns your password
        still cannot get in.
      </p>
      {start.isError && <FormAlert tone="error">{describeError(start.error)}</FormAlert>}
      <button
        type="button"
        onClick={() => start.mutate(undefined, { onSuccess: setEnrolment })}
        disabled={start.isPending}
        className={primaryButton}
      >
        {start.isPending ? 'Starting…' : 'Set up two-factor'}
      </button>
    </div>
  );
}

export function TwoFactorSection({ user }: { user: SessionUser }) {
  // Kept here: confirming turns two-factor on, which swaps the panels, but the codes must stay.
  const [codes, setCodes] = useState<string[] | null>(null);
  return (
    <AccountSection id="two-factor" title="Two-factor authentication">
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
