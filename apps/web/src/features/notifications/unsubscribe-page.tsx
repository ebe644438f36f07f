import { FormattedMessage } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { primaryButton, textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { AuthCard } from '../auth/auth-card';
import { useUnsubscribe } from './notifications-queries';

/**
 * The landing page of the "stop these mails" link. Opening it changes nothing (mail scanners open
 * links); one click on the button does, without signing in: the token in the link is signed.
 */
export function UnsubscribePage() {
  const t = useT();
  useDocumentTitle('Unsubscribe');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const unsubscribe = useUnsubscribe();

  if (unsubscribe.isSuccess) {
    return (
      <AuthCard title={t('notifications.unsubscribePage.youUnsubscribed')}>
        <FormAlert tone="success">
          <FormattedMessage
            id="notifications.unsubscribePage.noMoreEMails"
            values={{
              topic: unsubscribe.data.label.toLowerCase(),
              strong: (chunks) => <strong>{chunks}</strong>,
            }}
          />
        </FormAlert>
        <p className="mt-4 text-sm text-stone-600">
          <FormattedMessage
            id="notifications.unsubscribePage.changedYourMindTurn"
            values={{
              link: (chunks) => (
                <Link to="/account#notifications" className={textLink}>
                  {chunks}
                </Link>
              ),
            }}
          />
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={t('notifications.unsubscribePage.unsubscribeFromTheseE')}
      intro={t('notifications.unsubscribePage.oneClickKindE')}
    >
      {!token && (
        <FormAlert tone="error">
          <FormattedMessage id="notifications.unsubscribePage.linkIncompleteUseLink" />
        </FormAlert>
      )}
      {unsubscribe.isError && <FormAlert tone="error">{describeError(unsubscribe.error)}</FormAlert>}
      <button
        type="button"
        className={`${primaryButton} mt-4 w-full`}
        disabled={!token || unsubscribe.isPending}
        onClick={() => unsubscribe.mutate(token)}
      >
        {unsubscribe.isPending
          ? t('notifications.unsubscribePage.unsubscribing')
          : t('notifications.unsubscribePage.unsubscribe')}
      </button>
    </AuthCard>
  );
}
