import type { UserProfile } from '@souk/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { type FieldErrors, formErrorsOf, mergeErrors } from '../../ui/form/form-errors';
import { SubmitButton } from '../../ui/form/submit-button';
import { TextAreaField } from '../../ui/form/text-area-field';
import { TextField } from '../../ui/form/text-field';
import { useErrorFocus } from '../../ui/form/use-error-focus';
import { AccountSection, SectionLoading } from './account-section';
import { AvatarEditor } from './avatar-editor';
import { LocationPicker } from './location-picker';
import { useUpdateProfile, useUserProfile } from './users-queries';

const FIELDS = ['displayName', 'bio', 'phone', 'locationId'];

function ProfileForm({ profile }: { profile: UserProfile }) {
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
        label="Display name"
        name="displayName"
        autoComplete="nickname"
        defaultValue={profile.displayName}
        maxLength={60}
        required
        error={errors.fields.displayName}
      />
      <TextAreaField
        label="About you"
        name="bio"
        defaultValue={profile.bio ?? ''}
        maxLength={1000}
        hint="Shown on your public profile. Up to 1,000 characters."
        error={errors.fields.bio}
      />
      <TextField
        label="Phone"
        name="phone"
        type="tel"
        autoComplete="tel"
        inputMode="tel"
        defaultValue={profile.phone ?? ''}
        placeholder="+94771234567"
        hint="Private: only you see it. Use the international format."
        error={errors.fields.phone}
      />
      <LocationPicker value={locationId} onChange={setLocationId} error={errors.fields.locationId} />
      {errors.message && <FormAlert tone="error">{errors.message}</FormAlert>}
      {update.isSuccess && <FormAlert tone="success">Your profile is saved.</FormAlert>}
      <SubmitButton pending={update.isPending} pendingLabel="Saving…">
        Save profile
      </SubmitButton>
    </form>
  );
}

export function ProfileSection() {
  const profile = useUserProfile('me');
  return (
    <AccountSection
      id="profile"
      title="Profile"
      description={
        profile.data && (
          <>
            What other members see.{' '}
            <Link to={`/u/${profile.data.id}`} className={textLink}>
              View your public profile
            </Link>
          </>
        )
      }
    >
      {profile.isPending && <SectionLoading label="Loading your profile…" />}
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
