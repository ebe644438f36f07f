import type { SessionUser } from '@souk/contracts';
import { type FormEvent, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, apiFetch, describeError, fieldErrorsOf } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { RequireAuth } from '../../shell/require-auth';
import { fieldControl, fieldLabel } from '../../ui/field-styles';
import { primaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { TextAreaField } from '../../ui/form/text-area-field';
import { TextField } from '../../ui/form/text-field';
import { useCategory } from '../catalog/catalog-queries';
import { type AttributeFormValue, checkAttributes, setAttribute } from '../listings/listing-attributes';
import { listingUrl } from '../listings/listing-card';
import { listingPath, useCreateListing, useListing, useListingAction } from '../listings/listings-queries';
import { AttributeField } from '../sell/attribute-fields';
import { PhotosStep } from '../sell/photos-step';
import { useSaveShowcase } from './showcase-queries';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** The category attribute the product link fills in, when the category asks for one. */
const LINK_ATTRIBUTE = 'website';

type Form = {
  categorySlug: string;
  name: string;
  tagline: string;
  link: string;
  description: string;
  tags: string;
  makers: string;
  launchDate: string;
  attributes: Record<string, AttributeFormValue>;
};

function DetailsForm({ user }: { user: SessionUser }) {
  const t = useT();
  const navigate = useNavigate();
  const root = useCategory('showcase');
  const [form, setForm] = useState<Form>({
    categorySlug: '',
    name: '',
    tagline: '',
    link: '',
    description: '',
    tags: '',
    makers: '',
    launchDate: new Date().toISOString().slice(0, 10),
    attributes: {},
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The draft made by a first attempt whose details were refused: a retry changes it, not a second one.
  const [draftId, setDraftId] = useState<string | null>(null);
  const choices = root.data ? (root.data.children.length > 0 ? root.data.children : [root.data]) : [];
  const slug = form.categorySlug || choices[0]?.slug || '';
  const category = useCategory(slug);
  const schema = (category.data?.attributes ?? []).filter((attribute) => attribute.key !== LINK_ATTRIBUTE);
  const create = useCreateListing();
  const save = useSaveShowcase();
  const change = (patch: Partial<Form>) => setForm((current) => ({ ...current, ...patch }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!category.data) return;
    const found: Record<string, string> = {};
    if (!form.name.trim()) found.name = 'is required';
    if (form.description.trim().length < 10) found.description = 'needs at least 10 characters';
    if (form.link.trim() && !/^https?:\/\/[^\s/]+/i.test(form.link.trim()))
      found.link = 'use a full http:// or https:// address';
    const checked = checkAttributes(schema, form.attributes);
    for (const [key, text] of Object.entries(checked.errors)) found[`attributes.${key}`] = text;
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setMessage('Please fix the highlighted fields.');
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const link = form.link.trim() || null;
      const hasLinkAttribute = category.data.attributes.some((attribute) => attribute.key === LINK_ATTRIBUTE);
      const listingBody = {
        categoryId: category.data.id,
        title: form.tagline.trim() ? `${form.name.trim()} – ${form.tagline.trim()}` : form.name.trim(),
        description: form.description,
        attributes: { ...checked.values, ...(hasLinkAttribute && link ? { [LINK_ATTRIBUTE]: link } : {}) },
      };
      let listingId = draftId;
      if (listingId) await apiFetch(listingPath(listingId), { method: 'PATCH', body: listingBody });
      else {
        listingId = (await create.mutateAsync({ kind: 'showcase', ...listingBody })).id;
        setDraftId(listingId);
      }
      const makerIds = [...new Set(form.makers.match(UUID) ?? [])].filter((id) => id !== user.id);
      await save.mutateAsync({
        listingId,
        body: {
          name: form.name.trim(),
          tagline: form.tagline.trim(),
          link,
          tags: form.tags
            .split(',')
            .map((tag) => tag.trim())
            .filter(Boolean),
          makerIds,
          launchDate: form.launchDate || null,
        },
      });
      navigate(`/showcase/new?id=${encodeURIComponent(listingId)}`, { replace: true });
    } catch (error) {
      const fields = fieldErrorsOf(error);
      setErrors(
        Object.fromEntries(
          Object.entries(fields).map(([key, text]) => [key === 'title' ? 'name' : key, text]),
        ),
      );
      setMessage(describeError(error));
    } finally {
      setBusy(false);
    }
  }

  if (root.isError) {
    return (
      <FormAlert tone="error">
        {root.error instanceof ApiError && root.error.status === 404
          ? t('showcase.showcaseNewPage.marketplaceHasNoShowcase')
          : describeError(root.error)}
      </FormAlert>
    );
  }
  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="space-y-5">
      <div>
        <label htmlFor="showcase-category" className={fieldLabel}>
          <FormattedMessage id="showcase.showcaseNewPage.category" />
        </label>
        <select
          id="showcase-category"
          value={slug}
          onChange={(event) => change({ categorySlug: event.target.value, attributes: {} })}
          className={`mt-1 ${fieldControl}`}
        >
          {choices.map((choice) => (
            <option key={choice.slug} value={choice.slug}>
              {choice.name}
            </option>
          ))}
        </select>
      </div>
      <TextField
        label={t('showcase.showcaseNewPage.productName')}
        name="name"
        value={form.name}
        maxLength={80}
        required
        error={errors.name}
        onChange={(event) => change({ name: event.target.value })}
      />
      <TextField
        label={t('showcase.showcaseNewPage.tagline')}
        name="tagline"
        value={form.tagline}
        maxLength={140}
        hint={t('showcase.showcaseNewPage.oneLineWhatDoes')}
        error={errors.tagline}
        onChange={(event) => change({ tagline: event.target.value })}
      />
      <TextField
        label={t('showcase.showcaseNewPage.link')}
        name="link"
        type="url"
        value={form.link}
        placeholder={t('showcase.showcaseNewPage.https')}
        error={errors.link ?? errors[`attributes.${LINK_ATTRIBUTE}`]}
        onChange={(event) => change({ link: event.target.value })}
      />
      <TextAreaField
        label={t('showcase.showcaseNewPage.description')}
        name="description"
        value={form.description}
        rows={5}
        error={errors.description}
        onChange={(event) => change({ description: event.target.value })}
      />
      <TextField
        label={t('showcase.showcaseNewPage.tags')}
        name="tags"
        value={form.tags}
        hint={t('showcase.showcaseNewPage.up5SeparatedBy')}
        error={errors.tags}
        onChange={(event) => change({ tags: event.target.value })}
      />
      <TextField
        label={t('showcase.showcaseNewPage.otherMakers')}
        name="makers"
        value={form.makers}
        hint={t('showcase.showcaseNewPage.theirProfileLinksU')}
        error={errors.makerIds ?? errors['makerIds.0']}
        onChange={(event) => change({ makers: event.target.value })}
      />
      <TextField
        label={t('showcase.showcaseNewPage.launchDate')}
        name="launchDate"
        type="date"
        value={form.launchDate}
        error={errors.launchDate}
        onChange={(event) => change({ launchDate: event.target.value })}
      />
      {schema.map((attribute) => (
        <AttributeField
          key={attribute.key}
          attribute={attribute}
          schema={schema}
          values={form.attributes}
          error={errors[`attributes.${attribute.key}`]}
          onChange={(key, value) => change({ attributes: setAttribute(schema, form.attributes, key, value) })}
        />
      ))}
      {message && <FormAlert tone="error">{message}</FormAlert>}
      <button type="submit" disabled={busy || !category.data} className={primaryButton}>
        {busy ? t('showcase.showcaseNewPage.saving') : t('showcase.showcaseNewPage.saveAddPhotos')}
      </button>
    </form>
  );
}

function PhotosAndPublish({ id }: { id: string }) {
  const t = useT();
  const navigate = useNavigate();
  const listing = useListing(id);
  const publish = useListingAction();
  const [photosBusy, setPhotosBusy] = useState(false);
  if (listing.isPending)
    return (
      <p className="text-sm text-stone-500">
        <FormattedMessage id="common.loading" />
      </p>
    );
  if (listing.isError) return <FormAlert tone="error">{describeError(listing.error)}</FormAlert>;
  return (
    <div className="space-y-6">
      <PhotosStep listingId={id} images={listing.data.images} onBusyChange={setPhotosBusy} />
      {publish.isError && <FormAlert tone="error">{describeError(publish.error)}</FormAlert>}
      <button
        type="button"
        className={primaryButton}
        disabled={photosBusy || publish.isPending}
        onClick={() =>
          publish.mutate(
            { id, action: 'publish' },
            {
              onSuccess: () =>
                navigate(listingUrl(id), { state: { notice: 'Your product is live in the showcase.' } }),
            },
          )
        }
      >
        {publish.isPending
          ? t('showcase.showcaseNewPage.publishing')
          : t('showcase.showcaseNewPage.publishShowcase')}
      </button>
    </div>
  );
}

/** `/showcase/new`: post a product (details, then photos, then publish). */
export function ShowcaseNewPage() {
  const t = useT();
  useDocumentTitle('Post a product');
  const [params] = useSearchParams();
  const id = params.get('id');
  return (
    <div className="mx-auto max-w-2xl">
      <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">
        <FormattedMessage id="showcase.showcaseNewPage.postProduct" />
      </h1>
      <p className="mt-1 text-stone-600">
        {id
          ? t('showcase.showcaseNewPage.addPhotosFirstOne')
          : t('showcase.showcaseNewPage.tellCommunityWhatYou')}
      </p>
      <div className="mt-6 rounded-3xl border border-stone-200 bg-white px-4 py-6 sm:px-8">
        <RequireAuth>
          {(user) => (id ? <PhotosAndPublish id={id} /> : <DetailsForm user={user} />)}
        </RequireAuth>
      </div>
    </div>
  );
}
