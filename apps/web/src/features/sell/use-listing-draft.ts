import type { Listing, UpdateListingBody } from '@souk/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { isCurrency } from '../../lib/money';
import { usePreferences, useUserProfile } from '../account/users-queries';
import { categoryQuery, useCategory } from '../catalog/catalog-queries';
import { type AttributeFormValue, keepFitting, setAttribute } from '../listings/listing-attributes';
import { listingUrl } from '../listings/listing-card';
import { useCreateListing, useListingAction, useUpdateListing } from '../listings/listings-queries';
import type { ChosenCategory } from './category-step';
import {
  checkDetails,
  checkPrice,
  type EditorForm,
  type Errors,
  emptyForm,
  formFromListing,
  serverFieldErrors,
  shownOn,
  snapshot,
} from './listing-draft-rules';
import { editListingPath, isSellStep, missingItems, SELL_STEPS, type SellStep } from './sell-steps';

/**
 * The listing being written or edited: its form, the step shown (from the URL), the checks and
 * saves as steps are left, and publishing. The draft is created on the server when the details are
 * first saved, then each step saves as it is left. The editor only shows what this returns.
 */
export function useListingDraft(listing: Listing | null) {
  const t = useT();
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
      !unplaced && Object.keys(placed).length > 0 ? t('sell.fixHighlighted') : describeError(error);
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
        refuse({}, t('sell.chooseCategoryFirst'));
        return false;
      }
      if (listing && form.category.id !== listing.category.id && target !== 'details') {
        // A new category asks different questions: they are answered before anything else.
        show('details');
        setMessage(t('sell.checkNewCategory'));
        return false;
      }
      return true;
    }
    if (from === 'details') {
      if (!listing && target === 'category') return true;
      if (!category.data) {
        refuse({}, category.isError ? describeError(category.error) : t('sell.categoryLoading'));
        return false;
      }
      const checked = checkDetails(form, schema);
      if (Object.keys(checked.errors).length > 0) {
        if (backwards && listing) return true;
        refuse(checked.errors, t('sell.fixHighlighted'));
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
      refuse({}, t('sell.photosUploading'));
      return false;
    }
    if (from === 'price') {
      const checked = checkPrice(form, listing?.kind === 'showcase');
      if (Object.keys(checked.errors).length > 0) {
        if (backwards) return true;
        refuse(checked.errors, t('sell.fixHighlighted'));
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
        onSuccess: (published) => navigate(listingUrl(published.id), { state: { notice: t('sell.live') } }),
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

  return {
    form,
    errors,
    message,
    attempt,
    step,
    stepIndex,
    previous,
    next,
    busy,
    reachable,
    category,
    schema,
    publish,
    publishProblems,
    change,
    changeAttribute,
    setPhotosBusy,
    goTo,
    chooseCategory,
    doPublish,
  };
}

export type ListingDraft = ReturnType<typeof useListingDraft>;
