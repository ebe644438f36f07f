import type { SessionUser } from '@souk/contracts';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useLeaveSignedOut } from '../../lib/use-leave-signed-out';
import { dangerButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { TextField } from '../../ui/form/text-field';
import { AccountSection } from './account-section';
import { PasswordConfirmForm, type PasswordConfirmFormProps } from './password-confirm-form';
import { downloadMyData, useDeactivateAccount, useDeleteAccount } from './users-queries';

const CONFIRM_WORD = 'DELETE';

/** One thing a member can do with their data: a heading, what it does, then its control. */
function DataAction({
  title,
  titleClassName = 'text-stone-900',
  description,
  children,
}: {
  title: ReactNode;
  titleClassName?: string;
  description: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="space-y-3">
      <h3 className={`font-semibold ${titleClassName}`}>{title}</h3>
      <p className="text-sm text-stone-700">{description}</p>
      {children}
    </div>
  );
}

/**
 * An action that asks for the password (when the account has one) before it runs: its opening
 * button, then the confirm form, closed again by its Cancel.
 */
function ConfirmedAction({
  opener,
  openerClassName,
  ...form
}: { opener: ReactNode; openerClassName: string } & Omit<
  PasswordConfirmFormProps,
  'onCancel' | 'submitClassName'
>) {
  const [open, setOpen] = useState(false);
  return open ? (
    <PasswordConfirmForm {...form} submitClassName={dangerButton} onCancel={() => setOpen(false)} />
  ) : (
    <button type="button" onClick={() => setOpen(true)} className={openerClassName}>
      {opener}
    </button>
  );
}

function ExportData() {
  const t = useT();
  const download = useMutation({ mutationFn: downloadMyData });
  return (
    <DataAction
      title={<FormattedMessage id="account.dataSection.downloadYourData" />}
      description={<FormattedMessage id="account.dataSection.jsonFileWithYour" />}
    >
      {download.isError && <FormAlert tone="error">{describeError(download.error)}</FormAlert>}
      <button
        type="button"
        onClick={() => download.mutate()}
        disabled={download.isPending}
        className={secondaryButton}
      >
        {download.isPending ? t('account.dataSection.preparing') : t('account.dataSection.downloadMyData')}
      </button>
    </DataAction>
  );
}

function Deactivate({ user }: { user: SessionUser }) {
  const t = useT();
  const deactivate = useDeactivateAccount();
  const leave = useLeaveSignedOut();
  return (
    <DataAction
      title={<FormattedMessage id="account.dataSection.deactivateYourAccount" />}
      description={<FormattedMessage id="account.dataSection.yourProfileHiddenYou" />}
    >
      <ConfirmedAction
        opener={<FormattedMessage id="account.dataSection.deactivate" />}
        openerClassName={secondaryButton}
        askPassword={user.hasPassword}
        submitLabel={t('account.dataSection.deactivateMyAccount')}
        pendingLabel={t('account.dataSection.deactivating')}
        pending={deactivate.isPending}
        error={deactivate.error}
        onSubmit={(password) =>
          deactivate.mutate(password, {
            onSuccess: () =>
              void leave('Your account is deactivated. Sign in again whenever you want it back.'),
          })
        }
      />
    </DataAction>
  );
}

function DeleteAccount({ user }: { user: SessionUser }) {
  const t = useT();
  const remove = useDeleteAccount();
  const leave = useLeaveSignedOut();
  return (
    <DataAction
      title={<FormattedMessage id="account.dataSection.deleteYourAccount" />}
      titleClassName="text-red-800"
      description={<FormattedMessage id="account.dataSection.erasesYourProfileE" />}
    >
      <ConfirmedAction
        opener={<FormattedMessage id="account.dataSection.deleteAccount" />}
        openerClassName={dangerButton}
        askPassword={user.hasPassword}
        submitLabel={t('account.dataSection.deleteMyAccountGood')}
        pendingLabel={t('account.dataSection.deleting')}
        pending={remove.isPending}
        error={remove.error}
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
          remove.mutate(password, { onSuccess: () => void leave('Your account has been deleted. Goodbye!') })
        }
      />
    </DataAction>
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
