import type { Preferences } from '@souk/contracts';
import { type FormEvent, useId, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { FormAlert } from '../../ui/form/form-alert';
import { FormFooter } from '../../ui/form/form-footer';
import { SelectField } from '../../ui/form/select-field';
import { AccountSection, SectionLoading } from './account-section';
import {
  CURRENCIES,
  LANGUAGES,
  type NotificationGridValue,
  THEMES,
  withAllTypes,
} from './preferences-options';
import { usePreferences, useUpdatePreferences } from './users-queries';

function PreferencesForm({ saved }: { saved: Preferences }) {
  const t = useT();
  const update = useUpdatePreferences();
  const themeName = useId();
  const [draft, setDraft] = useState<
    Omit<Preferences, 'notifications'> & { notifications: NotificationGridValue }
  >(() => ({
    ...saved,
    notifications: withAllTypes(saved.notifications),
  }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    update.mutate(draft);
  }

  return (
    <form noValidate onSubmit={submit} className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label={t('account.preferencesSection.language')}
          value={draft.language}
          onChange={(event) =>
            setDraft({ ...draft, language: event.target.value as Preferences['language'] })
          }
        >
          {LANGUAGES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('account.preferencesSection.currency')}
          value={draft.currency}
          onChange={(event) =>
            setDraft({ ...draft, currency: event.target.value as Preferences['currency'] })
          }
        >
          {CURRENCIES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-stone-800">
          <FormattedMessage id="account.preferencesSection.theme" />
        </legend>
        <div className="mt-2 grid grid-cols-3 gap-2">
          {THEMES.map((theme) => (
            <label
              key={theme.value}
              className="flex cursor-pointer flex-col rounded-xl border border-stone-300 px-3 py-2 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50 has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-brand-500"
            >
              <span className="flex items-center gap-2 text-sm font-medium text-stone-900">
                <input
                  type="radio"
                  name={themeName}
                  value={theme.value}
                  checked={draft.theme === theme.value}
                  onChange={() => setDraft({ ...draft, theme: theme.value })}
                  className="accent-brand-600"
                />
                {theme.label}
              </span>
              <span className="mt-0.5 text-xs text-stone-500">{theme.hint}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <FormFooter
        error={update.isError && describeError(update.error)}
        success={
          update.isSuccess && <FormattedMessage id="account.preferencesSection.yourPreferencesSaved" />
        }
        pending={update.isPending}
        pendingLabel={t('account.preferencesSection.saving')}
      >
        <FormattedMessage id="account.preferencesSection.savePreferences" />
      </FormFooter>
    </form>
  );
}

export function PreferencesSection() {
  const t = useT();
  const preferences = usePreferences();
  return (
    <AccountSection id="preferences" title={t('account.preferencesSection.preferences')}>
      {preferences.isPending && (
        <SectionLoading label={t('account.preferencesSection.loadingYourPreferences')} />
      )}
      {preferences.isError && <FormAlert tone="error">{describeError(preferences.error)}</FormAlert>}
      {preferences.data && <PreferencesForm saved={preferences.data} />}
    </AccountSection>
  );
}
