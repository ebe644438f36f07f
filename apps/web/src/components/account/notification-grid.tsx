import {
  CHANNELS,
  type Channel,
  type NotificationGridValue as Grid,
  NOTIFICATION_TYPES,
  type NotificationType,
} from './preferences-options';

type NotificationGridProps = { value: Grid; onChange: (value: Grid) => void };

export function NotificationGrid({ value, onChange }: NotificationGridProps) {
  function toggle(type: NotificationType, channel: Channel, on: boolean) {
    const current = value[type];
    const next = on ? [...current, channel] : current.filter((item) => item !== channel);
    // Stored in the order of the columns, whatever the order of the clicks.
    onChange({ ...value, [type]: CHANNELS.map((c) => c.value).filter((c) => next.includes(c)) });
  }

  return (
    <fieldset>
      <legend className="text-sm font-medium text-stone-800">Notifications</legend>
      <p className="mt-1 text-xs text-stone-500">Pick how we tell you about each kind of news.</p>
      <div className="mt-3 overflow-x-auto">
        <table className="w-full text-sm">
          <thead>
            <tr className="border-b border-stone-200 text-left text-xs text-stone-600">
              <th scope="col" className="py-2 pr-2 font-medium">
                <span className="sr-only">Notification</span>
              </th>
              {CHANNELS.map((channel) => (
                <th
                  key={channel.value}
                  scope="col"
                  className="w-16 px-1 py-2 text-center font-medium sm:w-24"
                >
                  {channel.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {NOTIFICATION_TYPES.map((type) => (
              <tr key={type.value}>
                <th scope="row" className="py-3 pr-2 text-left font-normal text-stone-800">
                  {type.label}
                </th>
                {CHANNELS.map((channel) => (
                  <td key={channel.value} className="px-1 py-3 text-center">
                    <input
                      type="checkbox"
                      aria-label={`${type.label}: ${channel.label}`}
                      checked={value[type.value].includes(channel.value)}
                      onChange={(event) => toggle(type.value, channel.value, event.target.checked)}
                      className="size-5 accent-brand-600"
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}
