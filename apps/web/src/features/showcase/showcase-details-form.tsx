import type { ShowcasePost } from '@souk/contracts';
import { type FormEvent, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError, fieldErrorsOf } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { TextField } from '../../ui/form/text-field';
import { useSaveShowcase } from './showcase-queries';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The owner changes a post's product details in place on its page. */
export function ShowcaseDetailsForm({ post, onDone }: { post: ShowcasePost; onDone: () => void }) {
  const t = useT();
  const save = useSaveShowcase();
  const [name, setName] = useState(post.name);
  const [tagline, setTagline] = useState(post.tagline);
  const [link, setLink] = useState(post.link ?? '');
  const [tags, setTags] = useState(post.tags.join(', '));
  const [makers, setMakers] = useState(post.makers.map((maker) => `/u/${maker.id}`).join(', '));
  const [launchDate, setLaunchDate] = useState(post.launchDate ?? '');
  const errors = fieldErrorsOf(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(
      {
        listingId: post.listingId,
        body: {
          name: name.trim(),
          tagline: tagline.trim(),
          link: link.trim() || null,
          tags: tags
            .split(',')
            .map((tag) => tag.trim())
            .filter(Boolean),
          makerIds: [...new Set(makers.match(UUID) ?? [])],
          launchDate: launchDate || null,
        },
      },
      { onSuccess: onDone },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="mt-4 space-y-3">
      <TextField
        label={t('showcase.showcaseDetailsForm.productName')}
        name="name"
        value={name}
        maxLength={80}
        error={errors.name}
        onChange={(event) => setName(event.target.value)}
      />
      <TextField
        label={t('showcase.showcaseDetailsForm.tagline')}
        name="tagline"
        value={tagline}
        maxLength={140}
        error={errors.tagline}
        onChange={(event) => setTagline(event.target.value)}
      />
      <TextField
        label={t('showcase.showcaseDetailsForm.link')}
        name="link"
        type="url"
        value={link}
        error={errors.link}
        onChange={(event) => setLink(event.target.value)}
      />
      <TextField
        label={t('showcase.showcaseDetailsForm.tags')}
        name="tags"
        value={tags}
        hint={t('showcase.showcaseDetailsForm.up5SeparatedBy')}
        error={errors.tags}
        onChange={(event) => setTags(event.target.value)}
      />
      <TextField
        label={t('showcase.showcaseDetailsForm.otherMakers')}
        name="makers"
        value={makers}
        hint={t('showcase.showcaseDetailsForm.theirProfileLinksU')}
        error={errors.makerIds ?? errors['makerIds.0']}
        onChange={(event) => setMakers(event.target.value)}
      />
      <TextField
        label={t('showcase.showcaseDetailsForm.launchDate')}
        name="launchDate"
        type="date"
        value={launchDate}
        error={errors.launchDate}
        onChange={(event) => setLaunchDate(event.target.value)}
      />
      {save.isError && <FormAlert tone="error">{describeError(save.error)}</FormAlert>}
      <div className="flex gap-2">
        <button type="submit" className={primaryButton} disabled={save.isPending}>
          {save.isPending
            ? t('showcase.showcaseDetailsForm.saving')
            : t('showcase.showcaseDetailsForm.saveDetails')}
        </button>
        <button type="button" className={secondaryButton} onClick={onDone}>
          <FormattedMessage id="showcase.showcaseDetailsForm.cancel" />
        </button>
      </div>
    </form>
  );
}
