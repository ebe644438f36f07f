import { useEffect, useRef, useState } from 'react';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';

type RecoveryCodesProps = { codes: string[]; onDone: () => void };

/** Shown once, right after they are made: the only chance to keep them. */
export function RecoveryCodes({ codes, onDone }: RecoveryCodesProps) {
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
        Save your recovery codes
      </h3>
      <p className="text-sm text-stone-700">
        If you lose your phone, each of these codes lets you sign in once. Keep them somewhere safe, such as a
        password manager. <strong>We will not show them again.</strong>
      </p>
      <ol className="grid grid-cols-2 gap-2 rounded-xl bg-stone-100 p-4 font-mono text-sm text-stone-900">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <button type="button" onClick={() => void copy()} className={secondaryButton}>
          Copy
        </button>
        <button type="button" onClick={download} className={secondaryButton}>
          Download
        </button>
        <button type="button" onClick={onDone} className={primaryButton}>
          I saved them
        </button>
      </div>
      <p role="status" className="text-sm text-stone-600">
        {copied === 'copied' && 'Copied to the clipboard.'}
        {copied === 'failed' && 'Copying did not work here; select the codes or download them instead.'}
      </p>
    </div>
  );
}
