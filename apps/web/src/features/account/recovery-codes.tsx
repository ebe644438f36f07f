import { useEffect, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';

type RecoveryCodesProps = { codes: string[]; onDone: () => void };

/** Shown once, right after they are made: the only chance to keep them. */
export function RecoveryCodes({ codes, onDone }: RecoveryCodesProps) {
  const t = useT();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const text = `Souk recovery codes (each works once)\n\n${codes.join('\n')}\n`;

  useEffect(() => headingRef.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'souk-recovery-codes.txt';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return (
    <div className="space-y-4">
      <h3 ref={headingRef} tabIndex={-1} className="font-semibold text-stone-900 focus:outline-none">
        <FormattedMessage id="account.recoveryCodes.saveYourRecoveryCodes" />
      </h3>
      <p className="text-sm text-stone-700">
        <FormattedMessage
          id="account.recoveryCodes.ifYouLoseYour"
          values={{ strong: (chunks) => <strong>{chunks}</strong> }}
        />
      </p>
      <ol className="grid grid-cols-2 gap-2 rounded-xl bg-stone-100 p-4 font-mono text-sm text-stone-900">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <button type="button" onClick={() => void copy()} className={secondaryButton}>
          <FormattedMessage id="account.recoveryCodes.copy" />
        </button>
        <button type="button" onClick={download} className={secondaryButton}>
          <FormattedMessage id="account.recoveryCodes.download" />
        </button>
        <button type="button" onClick={onDone} className={primaryButton}>
          <FormattedMessage id="account.recoveryCodes.iSavedThem" />
        </button>
      </div>
      <p role="status" className="text-sm text-stone-600">
        {copied === 'copied' && t('account.recoveryCodes.copiedClipboard')}
        {copied === 'failed' && t('account.recoveryCodes.copyingDidNotWork')}
      </p>
    </div>
  );
}
