import type { Listing } from '@souk/contracts';
import { useEffect, useId, useRef } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import type { MessageId } from '../../i18n/messages';
import { useT } from '../../i18n/use-t';
import { FormAlert } from '../../ui/form/form-alert';
import { StatusBadge } from '../listings/listing-badges';
import { listingUrl } from '../listings/listing-card';
import { ListingView } from '../listings/listing-view';
import { CategoryStep } from './category-step';
import { DetailsStep } from './details-step';
import { EditorFooter } from './editor-footer';
import { PhotosStep } from './photos-step';
import { PriceStep } from './price-step';
import type { SellStep } from './sell-steps';
import { Stepper } from './stepper';
import { type ListingDraft, useListingDraft } from './use-listing-draft';

const STEP_TEXT: Record<SellStep, { title: MessageId; intro: MessageId }> = {
  category: { title: 'sell.step.category.title', intro: 'sell.step.category.intro' },
  details: { title: 'sell.step.details.title', intro: 'sell.step.details.intro' },
  photos: { title: 'sell.step.photos.title', intro: 'sell.step.photos.intro' },
  price: { title: 'sell.step.price.title', intro: 'sell.step.price.intro' },
  preview: { title: 'sell.step.preview.title', intro: 'sell.step.preview.intro' },
};

/**
 * The create / edit listing flow: category, details (the attribute form generated from the
 * category's schema), photos, price and location, preview and publish. What it holds and saves is
 * in useListingDraft; this shows the step and moves focus.
 */
export function ListingEditor({ listing }: { listing: Listing | null }) {
  const draft = useListingDraft(listing);
  const { step, attempt, form, errors, message, busy } = draft;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const headingId = useId();
  const text = STEP_TEXT[step];

  // Focus follows the step, so keyboard and screen reader users start at its heading.
  const firstStep = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes.
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    headingRef.current?.focus();
    headingRef.current?.scrollIntoView({ block: 'nearest' });
  }, [step]);

  // After a refused save, focus goes to the first field to fix, or to the message.
  useEffect(() => {
    if (attempt === 0) return;
    const section = sectionRef.current;
    const target =
      section?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      section?.querySelector<HTMLElement>('[data-form-alert]');
    target?.focus();
  }, [attempt]);

  return (
    <div className="mx-auto max-w-3xl">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">
          <FormattedMessage id={listing ? 'sell.editTitle' : 'sell.newTitle'} />
        </h1>
        {listing && <StatusBadge status={listing.status} />}
      </div>
      {listing && (
        <p className="mt-1 truncate text-sm text-stone-600">
          <Link
            to={listingUrl(listing.id)}
            className="underline-offset-4 hover:text-brand-700 hover:underline"
          >
            {listing.title}
          </Link>
        </p>
      )}

      <div className="mt-6">
        <Stepper
          current={step}
          reachable={draft.reachable}
          onGoTo={(target) => void draft.goTo(target)}
          busy={busy}
        />
      </div>

      <section
        ref={sectionRef}
        aria-labelledby={headingId}
        className="mt-6 rounded-3xl border border-stone-200 bg-white px-4 py-6 sm:px-8"
      >
        <h2
          id={headingId}
          ref={headingRef}
          tabIndex={-1}
          className="text-xl font-semibold text-stone-900 focus:outline-none"
        >
          <FormattedMessage id={text.title} />
        </h2>
        <p className="mt-1 text-sm text-stone-600">
          <FormattedMessage id={text.intro} />
        </p>

        <div className="mt-6">
          {step === 'category' && (
            <CategoryStep
              selected={form.category}
              onChoose={(chosen) => void draft.chooseCategory(chosen)}
              busy={busy}
              error={errors.category ?? null}
            />
          )}
          {step === 'details' && form.category && (
            <DetailsPart draft={draft} categoryName={form.category.name} />
          )}
          {step === 'photos' && listing && (
            <PhotosStep listingId={listing.id} images={listing.images} onBusyChange={draft.setPhotosBusy} />
          )}
          {step === 'price' && <PriceStep values={form} errors={errors} onChange={draft.change} />}
          {step === 'preview' && listing && (
            <div className="-mx-4 rounded-2xl bg-stone-50 p-3 sm:-mx-4 sm:p-4">
              <ListingView listing={listing} preview />
            </div>
          )}
        </div>

        {message && (
          <div className="mt-6">
            <FormAlert tone="error">{message}</FormAlert>
          </div>
        )}
        <EditorFooter draft={draft} listing={listing} nextHintId={`${headingId}-next`} />
      </section>
    </div>
  );
}

function DetailsPart({ draft, categoryName }: { draft: ListingDraft; categoryName: string }) {
  const t = useT();
  const { category } = draft;
  return (
    <>
      {category.isPending && (
        <div role="status" className="space-y-3">
          <span className="sr-only">{t('sell.loadingQuestions', { name: categoryName })}</span>
          <div aria-hidden="true" className="h-10 animate-pulse rounded-lg bg-stone-200/70" />
          <div aria-hidden="true" className="h-24 animate-pulse rounded-lg bg-stone-200/70" />
        </div>
      )}
      {category.isError && <FormAlert tone="error">{describeError(category.error)}</FormAlert>}
      {category.data && (
        <DetailsStep
          values={draft.form}
          schema={draft.schema}
          categoryName={categoryName}
          errors={draft.errors}
          onChange={draft.change}
          onAttribute={draft.changeAttribute}
        />
      )}
    </>
  );
}
