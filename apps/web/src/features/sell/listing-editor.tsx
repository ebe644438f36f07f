import type { Listing, ResolvedAttribute, UpdateListingBody } from '@souk/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, describeError, fieldErrorsOf } from '../../api/client';
import { type Currency, isCurrency, minorToMajorInput, parseMajorAmount } from '../../lib/money';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { usePreferences, useUserProfile } from '../account/users-queries';
import { isEmailUnverified, VerifyEmailPrompt } from '../account/verify-email-prompt';
import { categoryQuery, useCategory } from '../catalog/catalog-queries';
import {
  type AttributeFormValue,
  checkAttributes,
  keepFitting,
  setAttribute,
  toFormValues,
} from '../listings/listing-attributes';
import { StatusBadge } from '../listings/listing-badges';
import { listingUrl } from '../listings/listing-card';
import { ListingView } from '../listings/listing-view';
import { useCreateListing, useListingAction, useUpdateListing } from '../listings/listings-queries';
import { MissingChecklist } from '../listings/missing-checklist';
import { CategoryStep, type ChosenCategory } from './category-step';
import { DetailsStep, type DetailsValues, type ItemConditionValue, schemaHasCondition } from './details-step';
import { PhotosStep } from './photos-step';
import { PriceStep, type PriceValues } from './price-step';
import { editListingPath, isSellStep, missingItems, SELL_STEPS, type SellStep } from './sell-steps';
import { Stepper } from './stepper';

type EditorForm = { category: ChosenCategory | null } & DetailsValues & PriceValues;
type Errors = Record<string, string>;

const STEP_TEXT: Record<SellStep, { title: string; intro: string }> = {
  category: { title: 'Choose a category', intro: 'Pick the one that fits best: buyers browse by it.' },
  details: { title: 'Describe it', intro: 'A clear title and the key facts help buyers find it.' },
  photos: { title: 'Photos', intro: 'Add up to 20. The cover photo shows in lists and search results.' },
  price: { title: 'Price and location', intro: 'What you ask for it, and where buyers can see it.' },
  preview: { title: 'Preview', intro: 'This is how buyers will see your listing.' },
};

/** A category attribute named condition (vehicles: brand new, reconditioned, used) also sets the listing's. */
const CONDITION_FROM_ATTRIBUTE: Record<string, ItemConditionValue> = {
  new: 'new',
  'brand-new': 'new',
  used: 'used',
  reconditioned: 'refurbished',
  refurbished: 'refurbished',
};

function emptyForm(): EditorForm {
  return {
    category: null,
    title: '',
    description: '',
    condition: '',
    attributes: {},
    priceType: 'fixed',
    amount: '',
    currency: 'LKR',
    quantity: '1',
    locationId: null,
    coordinates: null,
  };
}

function formFromListing(listing: Listing): EditorForm {
  const price = listing.price as Listing['price'] | null;
  const currency: Currency = isCurrency(price?.currency) ? price.currency : 'LKR';
  return {
    category: { id: listing.category.id, slug: listing.category.slug, name: listing.category.name },
    title: listing.title,
    description: listing.description,
    condition: listing.condition ?? '',
    attributes: toFormValues(listing.attributes),
    priceType: price?.type ?? 'fixed',
    amount:
      price?.amount !== null && price?.amount !== undefined ? minorToMajorInput(price.amount, currency) : '',
    currency,
    quantity: String(listing.quantity),
    locationId: listing.location?.id ?? null,
    coordinates: listing.coordinates,
  };
}

/** What each saving step sends, as text, to skip a PATCH that would change nothing. */
function snapshot(step: 'details' | 'price', form: EditorForm): string {
  if (step === 'details') {
    const { category, title, description, condition, attributes } = form;
    return JSON.stringify([category?.id, title, description, condition, attributes]);
  }
  const { priceType, amount, currency, quantity, locationId, coordinates } = form;
  return JSON.stringify([priceType, amount, currency, quantity, locationId, coordinates]);
}

type Checked<T> = { body: T; errors: Errors };

function checkDetails(form: EditorForm, schema: readonly ResolvedAttribute[]) {
  const errors: Errors = {};
  const title = form.title.trim();
  if (title.length < 3) errors.title = title ? 'use at least 3 characters' : 'is required';
  const attributes = checkAttributes(schema, form.attributes);
  for (const [key, message] of Object.entries(attributes.errors)) errors[`attributes.${key}`] = message;
  const fromAttribute = schemaHasCondition(schema) ? form.attributes.condition : undefined;
  const condition =
    typeof fromAttribute === 'string'
      ? CONDITION_FROM_ATTRIBUTE[fromAttribute] || null
      : form.condition || null;
  return {
    body: { title, description: form.description, condition, attributes: attributes.values },
    errors,
  };
}

function checkPrice(form: EditorForm, showcase = false): Checked<UpdateListingBody> {
  const errors: Errors = {};
  let price: UpdateListingBody['price'];
  // A showcase post has no price (the API refuses one): only quantity and place are saved.
  if (showcase) price = undefined;
  else if (form.priceType === 'free') price = { type: 'free' };
  else if (form.priceType === 'negotiable' && form.amount.trim() === '') {
    price = { type: 'negotiable', amount: null, currency: form.currency };
  } else {
    const parsed = parseMajorAmount(form.amount, form.currency);
    if (parsed.ok) price = { type: form.priceType, amount: parsed.minor, currency: form.currency };
    else errors['price.amount'] = parsed.message;
  }
  const quantityText = form.quantity.trim();
  const quantity = Number(quantityText);
  if (!/^\d+$/.test(quantityText) || quantity > 100_000)
    errors.quantity = 'use a whole number from 0 to 100,000';
  return {
    body: { price, quantity, locationId: form.locationId, coordinates: form.coordinates },
    errors,
  };
}

/** Field errors from the server, keyed the way the form's controls know them. */
function serverFieldErrors(error: unknown): Errors {
  const result: Errors = {};
  for (const [field, message] of Object.entries(fieldErrorsOf(error))) {
    const key = field.startsWith('coordinates')
      ? 'coordinates'
      : field === 'price.type'
        ? 'price'
        : field === 'categoryId'
          ? 'category'
          : field;
    result[key] ??= message;
  }
  return result;
}

function shownOn(step: SellStep, key: string, schema: readonly ResolvedAttribute[]): boolean {
  if (step === 'details') {
    if (['title', 'description', 'condition'].includes(key))
      return key !== 'condition' || !schemaHasCondition(schema);
    return key.startsWith('attributes.') && schema.some((attribute) => `attributes.${attribute.key}` === key);
  }
  if (step === 'price') {
    return ['price', 'price.amount', 'price.currency', 'quantity', 'locationId', 'coordinates'].includes(key);
  }
  return false;
}

/**
 * The create / edit listing flow: category, details (the attribute form generated from the
 * category's schema), photos, price and location, preview and publish. The draft is created on the
 * server when the details are first saved, then each step saves as it is left.
 */
export function ListingEditor({ listing }: { listing: Listing | null }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<EditorForm>(() => (listing ? formFromListing(listing) : emptyForm()));
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [photosBusy, setPhotosBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const saved = useRef<Partial<Record<'details' | 'price', string>>>(
    listing
      ? {
          details: snapshot('details', formFromListing(listing)),
          price: snapshot('price', formFromListing(listing)),
        }
      : {},
  );
  const headingRef = useRef<HTMLHeadingElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const headingId = useId();
  const create = useCreateListing();
  const update = useUpdateListing(listing?.id ?? '');
  const publish = useListingAction();
  const category = useCategory(form.category?.slug ?? '');
  const schema = category.data?.attributes ?? [];

  // A new listing starts with the member's usual currency and place.
  const preferences = usePreferences(listing === null);
  const profile = useUserProfile('me');
  const defaultsApplied = useRef(listing !== null);
  useEffect(() => {
    if (defaultsApplied.current || !preferences.data || !profile.data) return;
    defaultsApplied.current = true;
    const currency = preferences.data.currency;
    const locationId = profile.data.location?.id ?? null;
    setForm((current) => ({
      ...current,
      currency: current.currency === 'LKR' && isCurrency(currency) ? currency : current.currency,
      locationId: current.locationId ?? locationId,
    }));
  }, [preferences.data, profile.data]);

  const requested = params.get('step');
  let step: SellStep = isSellStep(requested) ? requested : listing ? 'details' : 'category';
  // Photos, price and preview need the saved draft; details needs a category.
  if (!listing && step !== 'category' && step !== 'details') step = form.category ? 'details' : 'category';
  if (!form.category && step === 'details') step = 'category';
  const stepIndex = SELL_STEPS.findIndex((candidate) => candidate.id === step);
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

  const change = useCallback(
    (patch: Partial<EditorForm>) => setForm((current) => ({ ...current, ...patch })),
    [],
  );
  const changeAttribute = useCallback(
    (key: string, value: AttributeFormValue) =>
      setForm((current) => ({
        ...current,
        attributes: setAttribute(schema, current.attributes, key, value),
      })),
    [schema],
  );

  function show(target: SellStep) {
    setErrors({});
    setMessage(null);
    publish.reset();
    setParams({ step: target }, { replace: true });
  }

  function refuse(found: Errors, text: string | null) {
    setErrors(found);
    setMessage(text);
    setAttempt((value) => value + 1);
  }

  function refuseServer(error: unknown, on: SellStep) {
    const found = serverFieldErrors(error);
    const placed: Errors = {};
    let unplaced = false;
    for (const [key, value] of Object.entries(found)) {
      if (shownOn(on, key, schema)) placed[key] = value;
      else unplaced = true;
    }
    const text =
      !unplaced && Object.keys(placed).length > 0
        ? 'Please fix the highlighted fields.'
        : describeError(error);
    refuse(placed, text);
  }

  async function save(on: 'details' | 'price', body: UpdateListingBody): Promise<boolean> {
    const current = snapshot(on, form);
    if (saved.current[on] === current) return true;
    try {
      await update.mutateAsync(body);
      saved.current[on] = current;
      return true;
    } catch (error) {
      refuseServer(error, on);
      return false;
    }
  }

  /** Checks and saves the step being left; false keeps the user on it. */
  async function leave(from: SellStep, target: SellStep): Promise<boolean> {
    // Going back never gets stuck on a half-filled step: what is valid is saved, the rest waits.
    const backwards =
      SELL_STEPS.findIndex((candidate) => candidate.id === target) <
      SELL_STEPS.findIndex((candidate) => candidate.id === from);
    if (from === 'category') {
      if (!form.category) {
        refuse({}, 'Choose a category first.');
        return false;
      }
      if (listing && form.category.id !== listing.category.id && target !== 'details') {
        // A new category asks different questions: they are answered before anything else.
        show('details');
        setMessage('Check the details for the new category, then continue.');
        return false;
      }
      return true;
    }
    if (from === 'details') {
      if (!listing && target === 'category') return true;
      if (!category.data) {
        refuse(
          {},
          category.isError ? describeError(category.error) : 'Still loading the category. One moment…',
        );
        return false;
      }
      const checked = checkDetails(form, schema);
      if (Object.keys(checked.errors).length > 0) {
        if (backwards && listing) return true;
        refuse(checked.errors, 'Please fix the highlighted fields.');
        return false;
      }
      const categoryId = form.category?.id;
      if (!listing) {
        if (!categoryId) return false;
        try {
          const created = await create.mutateAsync({ kind: 'classified', categoryId, ...checked.body });
          navigate(editListingPath(created.id, target), { replace: true });
        } catch (error) {
          refuseServer(error, 'details');
        }
        return false;
      }
      const body: UpdateListingBody =
        categoryId && categoryId !== listing.category.id ? { categoryId, ...checked.body } : checked.body;
      return save('details', body);
    }
    if (from === 'photos' && photosBusy) {
      refuse({}, 'Wait until the photos have finished uploading.');
      return false;
    }
    if (from === 'price') {
      const checked = checkPrice(form, listing?.kind === 'showcase');
      if (Object.keys(checked.errors).length > 0) {
        if (backwards) return true;
        refuse(checked.errors, 'Please fix the highlighted fields.');
        return false;
      }
      return save('price', checked.body);
    }
    return true;
  }

  async function goTo(target: SellStep) {
    if (saving || target === step) return;
    setSaving(true);
    try {
      if (await leave(step, target)) show(target);
    } finally {
      setSaving(false);
    }
  }

  async function chooseCategory(chosen: ChosenCategory) {
    if (saving) return;
    if (chosen.id === form.category?.id) {
      show('details');
      return;
    }
    setSaving(true);
    try {
      // Answers that still fit the new category's questions are kept; the rest are dropped.
      const detail = await queryClient.fetchQuery(categoryQuery(chosen.slug));
      setForm((current) => ({
        ...current,
        category: chosen,
        attributes: keepFitting(detail.attributes, current.attributes),
      }));
      show('details');
    } catch (error) {
      refuse({}, describeError(error));
    } finally {
      setSaving(false);
    }
  }

  function doPublish() {
    if (!listing) return;
    publish.mutate(
      { id: listing.id, action: 'publish' },
      {
        onSuccess: (published) =>
          navigate(listingUrl(published.id), { state: { notice: 'Your listing is live.' } }),
      },
    );
  }

  const busy = saving || create.isPending || update.isPending;
  const reachable = (target: SellStep) =>
    listing !== null || target === 'category' || (target === 'details' && form.category !== null);
  const previous = SELL_STEPS[stepIndex - 1]?.id;
  const next = SELL_STEPS[stepIndex + 1];
  const publishProblems =
    publish.error instanceof ApiError && (publish.error.problem?.errors?.length ?? 0) > 0
      ? missingItems(publish.error, schema)
      : null;

  return (
    <div className="mx-auto max-w-3xl">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">
          {listing ? 'Edit listing' : 'Sell something'}
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
        <Stepper current={step} reachable={reachable} onGoTo={(target) => void goTo(target)} busy={busy} />
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
          {text.title}
        </h2>
        <p className="mt-1 text-sm text-stone-600">{text.intro}</p>

        <div className="mt-6">
          {step === 'category' && (
            <CategoryStep
              selected={form.category}
              onChoose={(chosen) => void chooseCategory(chosen)}
              busy={busy}
              error={errors.category ?? null}
            />
          )}
          {step === 'details' && form.category && (
            <>
              {category.isPending && (
                <div role="status" className="space-y-3">
                  <span className="sr-only">Loading the questions for {form.category.name}…</span>
                  <div aria-hidden="true" className="h-10 animate-pulse rounded-lg bg-stone-200/70" />
                  <div aria-hidden="true" className="h-24 animate-pulse rounded-lg bg-stone-200/70" />
                </div>
              )}
              {category.isError && <FormAlert tone="error">{describeError(category.error)}</FormAlert>}
              {category.data && (
                <DetailsStep
                  values={form}
                  schema={schema}
                  categoryName={form.category.name}
                  errors={errors}
                  onChange={change}
                  onAttribute={changeAttribute}
                />
              )}
            </>
          )}
          {step === 'photos' && listing && (
            <PhotosStep listingId={listing.id} images={listing.images} onBusyChange={setPhotosBusy} />
          )}
          {step === 'price' && <PriceStep values={form} errors={errors} onChange={change} />}
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
        {step === 'preview' && publishProblems && (
          <div className="mt-6">
            <MissingChecklist
              items={publishProblems}
              listingId={listing?.id ?? ''}
              onGoTo={(target) => void goTo(target)}
              message={
                publish.error instanceof ApiError && publish.error.code === 'listing_incomplete'
                  ? undefined
                  : describeError(publish.error)
              }
            />
          </div>
        )}
        {step === 'preview' && publish.isError && !publishProblems && !isEmailUnverified(publish.error) && (
          <div className="mt-6">
            <FormAlert tone="error">{describeError(publish.error)}</FormAlert>
          </div>
        )}
        {step === 'preview' && (
          <div className="mt-6 empty:hidden">
            <VerifyEmailPrompt action="publish your listing" error={publish.error} />
          </div>
        )}

        <div className="mt-8 flex flex-wrap-reverse items-center justify-between gap-3 border-t border-stone-200 pt-5">
          {previous ? (
            <button
              type="button"
              onClick={() => void goTo(previous)}
              disabled={busy}
              className={secondaryButton}
            >
              Back
            </button>
          ) : (
            <span />
          )}
          {step === 'preview' && listing ? (
            listing.status === 'draft' ? (
              <div className="flex flex-wrap gap-2">
                <Link
                  to="/account/listings?status=draft"
                  state={{ notice: 'Your draft is saved. Publish it whenever you are ready.' }}
                  className={secondaryButton}
                >
                  Save as draft
                </Link>
                <button
                  type="button"
                  onClick={doPublish}
                  disabled={publish.isPending}
                  aria-busy={publish.isPending || undefined}
                  className={primaryButton}
                >
                  {publish.isPending ? 'Publishing…' : 'Publish'}
                </button>
              </div>
            ) : (
              <Link
                to={listingUrl(listing.id)}
                state={{ notice: 'Your changes are saved.' }}
                className={primaryButton}
              >
                Done
              </Link>
            )
          ) : (
            next &&
            (step !== 'category' || form.category) && (
              <button
                type="button"
                onClick={() => void goTo(next.id)}
                disabled={busy}
                aria-busy={busy || undefined}
                aria-describedby={`${headingId}-next`}
                className={primaryButton}
              >
                {busy ? 'Saving…' : 'Next'}
                {!busy && (
                  <span aria-hidden="true" className="font-normal opacity-90">
                    · {next.label}
                  </span>
                )}
                <span id={`${headingId}-next`} hidden>
                  Next step: {next.label}
                </span>
              </button>
            )
          )}
        </div>
      </section>
    </div>
  );
}
