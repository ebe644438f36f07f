import { useLocation } from 'react-router';
import { FormAlert } from '../ui/form/form-alert';

export type RouteNoticeState = { notice?: string };

/** A one-off message handed over by the page that navigated here ("Your account was deleted"). */
export function RouteNotice() {
  const { state } = useLocation();
  const notice = (state as RouteNoticeState | null)?.notice;
  if (!notice) return null;
  return (
    <div className="mb-6">
      <FormAlert tone="success">{notice}</FormAlert>
    </div>
  );
}
