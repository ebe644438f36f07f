import { type FormEvent, useEffect, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { formErrorsOf, mergeErrors } from '../../ui/form/form-errors';
import { SubmitButton } from '../../ui/form/submit-button';
import { TextField } from '../../ui/form/text-field';
import { useErrorFocus } from '../../ui/form/use-error-focus';
import { type TotpEnrolment, useConfirmTotp } from '../auth/auth-queries';

function QrCode({ uri }: { uri: string }) {
  const t = useT();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // Loaded on demand: only people setting up two-factor need the QR encoder.
    void import('qrcode')
      .then((qrcode) => qrcode.toDataURL(uri, { margin: 1, width: 220, errorCorrectionLevel: 'M' }))
      .then((url) => {
        if (live) setSrc(url);
      });
    return () => {
      live = false;
    };
  }, [uri]);
  if (!src) return <div aria-hidden="true" className="size-[220px] animate-pulse rounded-xl bg-stone-200" />;
  return (
    <img
      src={src}
      width={220}
      height={220}
      alt={t('account.totpSetup.qrCodeScanWith')}
      className="rounded-xl border border-stone-200 bg-white"
    />
  );
}

/** Groups the base32 secret in fours so it can be typed without losing one's place. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

type TotpSetupProps = {
  enrolment: TotpEnrolment;
  onConfirmed: (recoveryCodes: string[]) => void;
  onCancel: () => void;
};

export function TotpSetup({ enrolment, onConfirmed, onCancel }: TotpSetupProps) {
  const t = useT();
  const confirm = useConfirmTotp();
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState<object | null>(null);
  const errors = mergeErrors(
    clientErrors,
    formErrorsOf(confirm.error, ['code'], {
      invalid_mfa_code: { field: 'code', message: 'is not right; try the newest code from the app' },
    }),
  );
  useErrorFocus(formRef, confirm.error ?? attempt);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').replace(/\s/g, '');
    const valid = /^\d{6}$/.test(code);
    setClientErrors(valid ? {} : { code: 'enter the 6-digit code from your app' });
    if (!valid) {
      setAttempt({});
      return;
    }
    confirm.mutate({ code }, { onSuccess: (result) => onConfirmed(result.recoveryCodes) });
  }

  return (
    <div className="space-y-5">
      <ol className="list-decimal space-y-2 pl-5 text-sm text-stone-700">
        <li>
          <FormattedMessage id="account.totpSetup.openAuthenticatorAppSuch" />
        </li>
        <li>
          <FormattedMessage id="account.totpSetup.scanQrCodeOr" />
        </li>
        <li>
          <FormattedMessage id="account.totpSetup.enter6DigitCode" />
        </li>
      </ol>
      <div className="flex flex-col items-start gap-4 sm:flex-row sm:items-center">
        <QrCode uri={enrolment.otpauthUri} />
        <div className="min-w-0">
          <p className="text-xs font-medium text-stone-600">
            <FormattedMessage id="account.totpSetup.keyTyping" />
          </p>
          <p className="mt-1 font-mono text-sm break-all text-stone-900 select-all" data-testid="totp-secret">
            {grouped(enrolment.secret)}
          </p>
        </div>
      </div>
      <form ref={formRef} noValidate onSubmit={submit} className="space-y-4">
        <TextField
          label={t('account.totpSetup.6DigitCode')}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={7}
          className="max-w-xs"
          error={errors.fields.code}
        />
        {errors.message && <FormAlert tone="error">{errors.message}</FormAlert>}
        <div className="flex flex-wrap gap-2">
          <SubmitButton pending={confirm.isPending} pendingLabel={t('account.totpSetup.checking')}>
            <FormattedMessage id="account.totpSetup.turnTwoFactor" />
          </SubmitButton>
          <button type="button" onClick={onCancel} disabled={confirm.isPending} className={secondaryButton}>
            <FormattedMessage id="account.totpSetup.cancel" />
          </button>
        </div>
      </form>
    </div>
  );
}
