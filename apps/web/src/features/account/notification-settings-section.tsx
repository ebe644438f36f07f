import type { DeliveryChannel, NotificationPreferences, PreferenceMatrix } from '@souk/contracts';
import { useEffect, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import {
  useNotificationPreferences,
  useUpdateNotificationPreferences,
} from '../notifications/notifications-queries';
import { currentPushSubscription, disablePush, enablePush, pushSupported } from '../notifications/push';
import { AccountSection, SectionLoading } from './account-section';

const CHANNELS: { value: DeliveryChannel; label: string }[] = [
  { value: 'in_app', label: 'In the app' },
  { value: 'email', label: 'E-mail' },
  { value: 'push', label: 'Push' },
  { value: 'sms', label: 'SMS' },
];

/** Each switch saves at once: a matrix of checkboxes with one Save button is easy to leave unsaved. */
function Matrix({ saved }: { saved: NotificationPreferences }) {
  const t = useT();
  const update = useUpdateNotificationPreferences();
  const toggle = (type: keyof PreferenceMatrix, channel: DeliveryChannel, on: boolean) =>
    update.mutate({ matrix: { [type]: { [channel]: on } } });
  return (
    <div className="space-y-4">
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead>
            <tr className="border-b border-stone-200 text-left text-xs text-stone-600">
              <th scope="col" className="py-2 pr-2 font-medium">
                <span className="sr-only">
                  <FormattedMessage id="account.notificationSettingsSection.notification" />
                </span>
              </th>
              {CHANNELS.map((channel) => (
                <th
                  key={channel.value}
                  scope="col"
                  className="w-16 px-1 py-2 text-center font-medium sm:w-20"
                >
                  {channel.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {saved.kinds.map((kind) => (
              <tr key={kind.type}>
                <th scope="row" className="py-3 pr-2 text-left font-normal">
                  <span className="block text-stone-800">{kind.label}</span>
                  <span className="block text-xs text-stone-500">
                    {kind.description}
                    {kind.chatty ? t('account.notificationSettingsSection.eMailedDigest') : ''}
                  </span>
                </th>
                {CHANNELS.map((channel) => (
                  <td key={channel.value} className="px-1 py-3 text-center">
                    {kind.channels.includes(channel.value) ? (
                      <input
                        type="checkbox"
                        aria-label={`${kind.label}: ${channel.label}`}
                        checked={saved.matrix[kind.type]?.[channel.value] ?? false}
                        onChange={(event) => toggle(kind.type, channel.value, event.target.checked)}
                        className="size-5 accent-brand-600"
                      />
                    ) : (
                      <span aria-hidden="true" className="text-stone-300">
                        –
                      </span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <label className="flex items-center gap-3 text-sm text-stone-800">
        <FormattedMessage id="account.notificationSettingsSection.sendDigest" />
        <select
          value={saved.digest}
          disabled={update.isPending}
          onChange={(event) =>
            update.mutate({ digest: event.target.value as NotificationPreferences['digest'] })
          }
          className="rounded-lg border border-stone-300 bg-white px-3 py-1.5"
        >
          <option value="daily">{t('account.notificationSettingsSection.daily')}</option>
          <option value="weekly">{t('account.notificationSettingsSection.weeklyMondays')}</option>
        </select>
      </label>
      {update.isError && <FormAlert tone="error">{describeError(update.error)}</FormAlert>}
      <p className="text-xs text-stone-500">
        <FormattedMessage id="account.notificationSettingsSection.textMessagesGoPhone" />
      </p>
    </div>
  );
}

function PushToggle() {
  const t = useT();
  const [state, setState] = useState<'unknown' | 'unsupported' | 'on' | 'off' | 'denied' | 'busy'>('unknown');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!pushSupported()) return setState('unsupported');
    if (Notification.permission === 'denied') return setState('denied');
    void currentPushSubscription().then((subscription) => setState(subscription ? 'on' : 'off'));
  }, []);
  if (state === 'unknown') return null;
  if (state === 'unsupported') {
    return (
      <p className="text-sm text-stone-600">
        <FormattedMessage id="account.notificationSettingsSection.browserCannotReceivePush" />
      </p>
    );
  }
  if (state === 'denied') {
    return (
      <p className="text-sm text-stone-600">
        <FormattedMessage id="account.notificationSettingsSection.notificationsBlockedSoukBrowsers" />
      </p>
    );
  }
  const run = async (action: () => Promise<unknown>, next: 'on' | 'off') => {
    setState('busy');
    setError(null);
    try {
      const result = await action();
      setState(result === 'denied' ? 'denied' : next);
    } catch (failure) {
      setError(describeError(failure));
      setState(next === 'on' ? 'off' : 'on');
    }
  };
  return (
    <div className="space-y-2">
      {state === 'on' ? (
        <button type="button" className={secondaryButton} onClick={() => void run(disablePush, 'off')}>
          <FormattedMessage id="account.notificationSettingsSection.turnOffPushDevice" />
        </button>
      ) : (
        <button
          type="button"
          className={secondaryButton}
          disabled={state === 'busy'}
          onClick={() => void run(enablePush, 'on')}
        >
          {state === 'busy'
            ? t('account.notificationSettingsSection.asking')
            : t('account.notificationSettingsSection.enablePushDevice')}
        </button>
      )}
      {error && <FormAlert tone="error">{error}</FormAlert>}
    </div>
  );
}

export function NotificationSettingsSection() {
  const t = useT();
  const preferences = useNotificationPreferences();
  return (
    <AccountSection
      id="notifications"
      title={t('account.notificationSettingsSection.notifications')}
      description={t('account.notificationSettingsSection.pickHowWeTell')}
    >
      <div className="space-y-6">
        <PushToggle />
        {preferences.isPending && (
          <SectionLoading label={t('account.notificationSettingsSection.loadingYourNotificationSettings')} />
        )}
        {preferences.isError && <FormAlert tone="error">{describeError(preferences.error)}</FormAlert>}
        {preferences.data && <Matrix saved={preferences.data} />}
      </div>
    </AccountSection>
  );
}
