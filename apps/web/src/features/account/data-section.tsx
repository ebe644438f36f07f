import type { SessionUser } from '@souk/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useLeaveSignedOut } from '../../lib/use-leave-signed-out';
import { dangerButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { TextField } from '../../ui/form/text-field';
import { AccountSection } from './account-section';
import { PasswordConfirmForm } from './password-confirm-form';
import { downloadMyData, useDeactivateAccount, useDeleteAccount } from './users-queries';

const CONFIRM_WORD = 'DELETE';

function ExportData() {
  const t = useT();
  const download = useMutation({ mutationFn: downloadMyData });
  return (
    <div className="space-y-3">
      <h3 className="font-semibold text-stone-900">
        <FormattedMessage id="account.dataSection.downloadYourData" />
      </h3>
      <p className="text-sm text-stone-700">
        <FormattedMessage id="account.dataSection.jsonFileWithYour" />
      </p>
      {download.isError && <FormAlert tone="error">{describeError(download.error)}</FormAlert>}
      <button
        type="button"
        onClick={() => download.mutate()}
        disabled={download.isPending}
        className={secondaryButton}
      >
        {download.isPending ? t('account.dataSection.preparing') : t('account.dataSection.downloadMyData')}
      </button>
    </div>
  );
}

function Deactivate({ user }: { user: SessionUser }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const deactivate = useDeactivateAccount();
  const leave = useLeaveSignedOut();
  return (
    <div className="space-y-3">
      <h3 className="font-semibold text-stone-900">
        <FormattedMessage id="account.dataSection.deactivateYourAccount" />
      </h3>
      <p className="text-sm text-stone-700">
        <FormattedMessage id="account.dataSection.yourProfileHiddenYou" />
      </p>
      {open ? (
        <PasswordConfirmForm
          askPassword={user.hasPassword}
          submitLabel={t('account.dataSection.deactivateMyAccount')}
          pendingLabel={t('account.dataSection.deactivating')}
          submitClassName={dangerButton}
          pending={deactivate.isPending}
          error={deactivate.error}
          onCancel={() => setOpen(false)}
          onSubmit={(password) =>
            deactivate.mutate(password, {
              onSuccess: () =>
                void leave('Your account is deactivated. Sign in again whenever you want it back.'),
            })
          }
        />
      ) : (
        <button type="button" onClick={() => setOpen(true)} className={secondaryButton}>
          <FormattedMessage id="account.dataSection.deactivate" />
        </button>
      )}
    </div>
  );
}

function DeleteAccount({ user }: { user: SessionUser }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const remove = useDeleteAccount();
  const leave = useLeaveSignedOut();
  return (
    <div className="space-y-3">
      <h3 className="font-semibold text-red-800">
        <FormattedMessage id="account.dataSection.deleteYourAccount" />
      </h3>
      <p className="text-sm text-stone-700">
        <FormattedMessage id="account.dataSection.erasesYourProfileE" />
      </p>
      {open ? (
        <PasswordConfirmForm
          askPassword={user.hasPassword}
          submitLabel={t('account.dataSection.deleteMyAccountGood')}
          pendingLabel={t('account.dataSection.deleting')}
          submitClassName={dangerButton}
          pending={remove.isPending}
          error={remove.error}
          onCancel={() => setOpen(false)}
          check={(data): Record<string, string> =>
            String(data.get('confirm') ?? '').trim() === CONFIRM_WORD
              ? {}
              : { confirm: `type ${CONFIRM_WORD} in capitals to confirm` }
          }
          extra={(fieldErrors) => (
            <TextField
              label={t('account.dataSection.typeConfirm', { confirmWord: CONFIRM_WORD })}
              name="confirm"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              error={fieldErrors.confirm}
            />
          )}
          onSubmit={(password) =>
            remove.mutate(password, {
              onSuccess: () => void leave('Your account has been deleted. Goodbye!'),
            })
          }
        />
      ) : (
        <button type="button" onClick={() => setOpen(true)} className={dangerButton}>
          <FormattedMessage id="account.dataSection.deleteAccount" />
        </button>
      )}
    </div>
  );
}

export function DataSection({ user }: { user: SessionUser }) {
  const t = useT();
  return (
    <AccountSection id="data" title={t('account.dataSection.yourDataAccount')}>
      <div className="divide-y divide-stone-200 [&>*]:py-5 [&>*:first-child]:pt-0 [&>*:last-child]:pb-0">
        <ExportData />
        <Deactivate user={user} />
        <DeleteAccount user={user} />
      </div>
    </AccountSection>
  );
}
