import type { SessionUser } from '@souk/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../../api/client';
import { useLeaveSignedOut } from '../../lib/use-leave-signed-out';
import { dangerButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { TextField } from '../../ui/form/text-field';
import { AccountSection } from './account-section';
import { PasswordConfirmForm } from './password-confirm-form';
import { downloadMyData, useDeactivateAccount, useDeleteAccount } from './users-queries';

const CONFIRM_WORD = 'DELETE';

function ExportData() {
  const download = useMutation({ mutationFn: downloadMyData });
  return (
    <div className="space-y-3">
      <h3 className="font-semibold text-stone-900">Download your data</h3>
      <p className="text-sm text-stone-700">
        A JSON file with your profile, settings and sign-in history: everything Souk keeps about you.
      </p>
      {download.isError && <FormAlert tone="error">{describeError(download.error)}</FormAlert>}
      <button
        type="button"
        onClick={() => download.mutate()}
        disabled={download.isPending}
        className={secondaryButton}
      >
        {download.isPending ? 'Preparing…' : 'Download my data'}
      </button>
    </div>
  );
}

function Deactivate({ user }: { user: SessionUser }) {
  const [open, setOpen] = useState(false);
  const deactivate = useDeactivateAccount();
  const leave = useLeaveSignedOut();
  return (
    <div className="space-y-3">
      <h3 className="font-semibold text-stone-900">Deactivate your account</h3>
      <p className="text-sm text-stone-700">
        Your profile is hidden and you are signed out everywhere. Sign in again any time to come back.
      </p>
      {open ? (
        <PasswordConfirmForm
          askPassword={user.hasPassword}
          submitLabel="Deactivate my account"
          pendingLabel="Deactivating…"
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
          Deactivate…
        </button>
      )}
    </div>
  );
}

function DeleteAccount({ user }: { user: SessionUser }) {
  const [open, setOpen] = useState(false);
  const remove = useDeleteAccount();
  const leave = useLeaveSignedOut();
  return (
    <div className="space-y-3">
      <h3 className="font-semibold text-red-800">Delete your account</h3>
      <p className="text-sm text-stone-700">
        This erases your profile, e-mail address, password and settings for good. It cannot be undone.
      </p>
      {open ? (
        <PasswordConfirmForm
          askPassword={user.hasPassword}
          submitLabel="Delete my account for good"
          pendingLabel="Deleting…"
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
              label={`Type ${CONFIRM_WORD} to confirm`}
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
          Delete account…
        </button>
      )}
    </div>
  );
}

export function DataSection({ user }: { user: SessionUser }) {
  return (
    <AccountSection id="data" title="Your data and account">
      <div className="divide-y divide-stone-200 [&>*]:py-5 [&>*:first-child]:pt-0 [&>*:last-child]:pb-0">
        <ExportData />
        <Deactivate user={user} />
        <DeleteAccount user={user} />
      </div>
    </AccountSection>
  );
}
