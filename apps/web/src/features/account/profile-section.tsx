import type { UserProfile } from '@souk/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { type FieldErrors, formErrorsOf, mergeErrors } from '../../ui/form/form-errors';
import { FormFooter } from '../../ui/form/form-footer';
import { TextAreaField } from '../../ui/form/text-area-field';
import { TextField } from '../../ui/form/text-field';
import { useErrorFocus } from '../../ui/form/use-error-focus';
import { AccountSection, SectionLoading } from './account-section';
import { AvatarEditor } from './avatar-editor';
import { LocationPicker } from './location-picker';
import { useUpdateProfile, useUserProfile } from './users-queries';

const FIELDS = ['displayName', 'bio', 'phone', 'locationId'];

function ProfileForm({ profile }: { profile: UserProfile }) {
  const t = useT();
  const update = useUpdateProfile();
  const formRef = useRef<HTMLFormElement>(null);
  const [locationId, setLocationId] = useState<string | null>(profile.location?.id ?? null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState<object | null>(null);
  const errors = mergeErrors(clientErrors, formErrorsOf(update.error, FIELDS));
  useErrorFocus(formRef, update.error ?? attempt);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const displayName = String(data.get('displayName') ?? '').trim();
    const bio = String(data.get('bio') ?? '').trim();
    // People type spaces and dashes in phone numbers; the API wants +94771234567.
    const phone = String(data.get('phone') ?? '').replace(/[\s\-().]/g, '');
    const found: FieldErrors = {};
    if (!displayName) found.displayName = 'enter the name other members will see';
    if (phone && !/^\+[1-9]\d{6,14}$/.test(phone)) {
      found.phone = 'use the international format, starting with + and the country code, e.g. +94771234567';
    }
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      setAttempt({});
      return;
    }
    update.mutate({ displayName, bio: bio || null, phone: phone || null, locationId });
  }

  return (
    <form ref={formRef} noValidate onSubmit={submit} className="space-y-5">
      <TextField
        label={t('account.profileSection.displayName')}
        name="displayName"
        autoComplete="nickname"
        defaultValue={profile.displayName}
        maxLength={60}
        required
        error={errors.fields.displayName}
      />
      <TextAreaField
        label={t('account.profileSection.aboutYou')}
        name="bio"
        defaultValue={profile.bio ?? ''}
        maxLength={1000}
        hint={t('account.profileSection.shownYourPublicProfile')}
        error={errors.fields.bio}
      />
      <TextField
        label={t('account.profileSection.phone')}
        name="phone"
        type="tel"
        autoComplete="tel"
        inputMode="tel"
        defaultValue={profile.phone ?? ''}
        placeholder="+94771234567"
        hint={t('account.profileSection.privateOnlyYouSee')}
        error={errors.fields.phone}
      />
      <LocationPicker value={locationId} onChange={setLocationId} error={errors.fields.locationId} />
      <FormFooter
        error={errors.message}
        success={update.isSuccess && <FormattedMessage id="account.profileSection.yourProfileSaved" />}
        pending={update.isPending}
        pendingLabel={t('account.profileSection.saving')}
      >
        <FormattedMessage id="account.profileSection.saveProfile" />
      </FormFooter>
    </form>
  );
}

export function ProfileSection() {
  const t = useT();
  const profile = useUserProfile('me');
  return (
    <AccountSection
      id="profile"
      title={t('account.profileSection.profile')}
      description={
        profile.data && (
          <FormattedMessage
            id="account.profileSection.whatOtherMembersSee"
            values={{
              link: (chunks) => (
                <Link to={`/u/${profile.data.id}`} className={textLink}>
                  {chunks}
                </Link>
              ),
            }}
          />
        )
      }
    >
      {profile.isPending && <SectionLoading label={t('account.profileSection.loadingYourProfile')} />}
      {profile.isError && <FormAlert tone="error">{describeError(profile.error)}</FormAlert>}
      {profile.data && (
        <div className="space-y-8">
          <AvatarEditor name={profile.data.displayName} avatarUrl={profile.data.avatarUrl} />
          <ProfileForm profile={profile.data} />
        </div>
      )}
    </AccountSection>
  );
}
