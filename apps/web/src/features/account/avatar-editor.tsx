import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { UserAvatar } from '../../ui/user-avatar';
import { useRemoveAvatar, useUploadAvatar } from './users-queries';

const MAX_BYTES = 5 * 1024 * 1024;

export function AvatarEditor({ name, avatarUrl }: { name: string; avatarUrl: string | null }) {
  const t = useT();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const upload = useUploadAvatar();
  const remove = useRemoveAvatar();
  const busy = upload.isPending || remove.isPending;

  useEffect(() => {
    if (!file) {
      setPreview(null);
      return;
    }
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  function choose(event: ChangeEvent<HTMLInputElement>) {
    const picked = event.target.files?.[0] ?? null;
    setSaved(null);
    upload.reset();
    remove.reset();
    if (picked && picked.size > MAX_BYTES) {
      setProblem('That image is larger than 5 MB. Pick a smaller one.');
      setFile(null);
      event.target.value = '';
      return;
    }
    setProblem(null);
    setFile(picked);
  }

  function cancel() {
    setFile(null);
    if (inputRef.current) inputRef.current.value = '';
  }

  function save() {
    if (!file) return;
    upload.mutate(file, {
      onSuccess: () => {
        cancel();
        setSaved('Your new photo is saved.');
      },
    });
  }

  function drop() {
    setSaved(null);
    remove.mutate(undefined, { onSuccess: () => setSaved('Your photo was removed.') });
  }

  const error =
    problem ?? (upload.error || remove.error ? describeError(upload.error ?? remove.error) : null);

  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
      {preview ? (
        <img
          src={preview}
          alt={t('account.avatarEditor.yourNewAvatarNot')}
          className="size-24 shrink-0 rounded-full object-cover"
        />
      ) : (
        <UserAvatar name={name} url={avatarUrl} size="lg" />
      )}
      <div className="min-w-0 flex-1 space-y-3">
        <div className="flex flex-wrap gap-2">
          {file ? (
            <>
              <button type="button" onClick={save} disabled={busy} className={primaryButton}>
                {upload.isPending ? t('account.avatarEditor.uploading') : t('account.avatarEditor.savePhoto')}
              </button>
              <button type="button" onClick={cancel} disabled={busy} className={secondaryButton}>
                <FormattedMessage id="account.avatarEditor.cancel" />
              </button>
            </>
          ) : (
            <>
              {/* The input sits inside so the label shows the keyboard focus ring of the hidden input. */}
              <label
                className={`${secondaryButton} cursor-pointer has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500`}
              >
                {avatarUrl ? t('account.avatarEditor.changePhoto') : t('account.avatarEditor.uploadPhoto')}
                <input
                  ref={inputRef}
                  type="file"
                  accept="image/jpeg,image/png,image/webp,image/gif,image/avif,image/heic,image/heif"
                  onChange={choose}
                  className="sr-only"
                />
              </label>
              {avatarUrl && (
                <button type="button" onClick={drop} disabled={busy} className={secondaryButton}>
                  {remove.isPending
                    ? t('account.avatarEditor.removing')
                    : t('account.avatarEditor.removePhoto')}
                </button>
              )}
            </>
          )}
        </div>
        <p className="text-xs text-stone-500">
          <FormattedMessage id="account.avatarEditor.jpegPngWebpGif" />
        </p>
        {error && <FormAlert tone="error">{error}</FormAlert>}
        {saved && <FormAlert tone="success">{saved}</FormAlert>}
      </div>
    </div>
  );
}
