import type { SellerProfile } from '@souk/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError, fieldErrorsOf } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { FormAlert } from '../../ui/form/form-alert';
import { formErrorsOf } from '../../ui/form/form-errors';
import { FormFooter } from '../../ui/form/form-footer';
import { TextAreaField } from '../../ui/form/text-area-field';
import { TextField } from '../../ui/form/text-field';
import { useErrorFocus } from '../../ui/form/use-error-focus';
import { AccountSection, SectionLoading } from './account-section';
import { type HoursRow, OpeningHoursEditor, withKeys } from './opening-hours-editor';
import { useSellerProfile, useUpdateSellerProfile } from './users-queries';

const FIELDS = ['businessName', 'description', 'website'];

/** "souk.example" is what people type; the API wants a full http(s) address. */
function normaliseWebsite(raw: string): string | null {
  const value = raw.trim();
  if (!value) return null;
  return /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
}

function SellerForm({ seller }: { seller: SellerProfile }) {
  const t = useT();
  const update = useUpdateSellerProfile();
  const formRef = useRef<HTMLFormElement>(null);
  const [rows, setRows] = useState<HoursRow[]>(() => withKeys(seller.openingHours));
  // Row errors are `openingHours.<index>.<field>`; the editor places them.
  const allFieldErrors = fieldErrorsOf(update.error);
  const hourFields = Object.keys(allFieldErrors).filter((field) => field.startsWith('openingHours.'));
  const errors = formErrorsOf(update.error, [...FIELDS, ...hourFields]);
  useErrorFocus(formRef, update.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const businessName = String(data.get('businessName') ?? '').trim();
    const description = String(data.get('description') ?? '').trim();
    update.mutate({
      businessName: businessName || null,
      description: description || null,
      website: normaliseWebsite(String(data.get('website') ?? '')),
      openingHours: rows.map(({ day, opens, closes }) => ({ day, opens, closes })),
    });
  }

  return (
    <form ref={formRef} noValidate onSubmit={submit} className="space-y-5">
      <TextField
        label={t('account.sellerSection.businessName')}
        name="businessName"
        autoComplete="organization"
        defaultValue={seller.businessName ?? ''}
        maxLength={120}
        hint={t('account.sellerSection.leaveEmptyIfYou')}
        error={errors.fields.businessName}
      />
      <TextAreaField
        label={t('account.sellerSection.description')}
        name="description"
        defaultValue={seller.description ?? ''}
        maxLength={2000}
        error={errors.fields.description}
      />
      <TextField
        label={t('account.sellerSection.website')}
        name="website"
        type="url"
        inputMode="url"
        autoComplete="url"
        defaultValue={seller.website ?? ''}
        placeholder={t('account.sellerSection.https')}
        maxLength={300}
        error={errors.fields.website}
      />
      <OpeningHoursEditor rows={rows} onChange={setRows} errors={allFieldErrors} />
      <FormFooter
        error={errors.message}
        success={update.isSuccess && <FormattedMessage id="account.sellerSection.yourSellerProfileSaved" />}
        pending={update.isPending}
        pendingLabel={t('account.sellerSection.saving')}
      >
        <FormattedMessage id="account.sellerSection.saveSellerProfile" />
      </FormFooter>
    </form>
  );
}

export function SellerSection() {
  const t = useT();
  const seller = useSellerProfile();
  return (
    <AccountSection
      id="seller"
      title={t('account.sellerSection.sellerProfile')}
      description={t('account.sellerSection.shownYourPublicProfile')}
    >
      {seller.isPending && <SectionLoading label={t('account.sellerSection.loadingYourSellerProfile')} />}
      {seller.isError && <FormAlert tone="error">{describeError(seller.error)}</FormAlert>}
      {seller.data && <SellerForm seller={seller.data} />}
    </AccountSection>
  );
}
