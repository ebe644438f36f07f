import type { ResolvedAttribute } from '@souk/contracts';
import { ApiError } from '../../api/client';
import { fieldMessage } from '../../ui/form/field-message';

export const SELL_STEPS = [
  { id: 'category', label: 'Category' },
  { id: 'details', label: 'Details' },
  { id: 'photos', label: 'Photos' },
  { id: 'price', label: 'Price & location' },
  { id: 'preview', label: 'Preview' },
] as const;

export type SellStep = (typeof SELL_STEPS)[number]['id'];

export function isSellStep(value: string | null): value is SellStep {
  return SELL_STEPS.some((step) => step.id === value);
}

export function editListingPath(id: string, step?: SellStep): string {
  const path = `/listings/${encodeURIComponent(id)}/edit`;
  return step ? `${path}?step=${step}` : path;
}

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  condition: 'Condition',
  categoryId: 'Category',
  category: 'Category',
  images: 'Photos',
  photos: 'Photos',
  price: 'Price',
  quantity: 'Quantity',
  locationId: 'Location',
  location: 'Location',
  coordinates: 'Exact location',
  features: 'Features',
  contact: 'Contact preferences',
};

/** The step of the listing form where a field (`attributes.make`, `price.amount`…) is edited. */
export function stepOfField(field: string): SellStep {
  const head = field.split('.')[0] ?? '';
  if (head === 'categoryId' || head === 'category') return 'category';
  if (head === 'images' || head === 'photos' || head === 'image') return 'photos';
  if (['price', 'quantity', 'locationId', 'location', 'coordinates', 'currency'].includes(head))
    return 'price';
  return 'details';
}

export type MissingItem = { key: string; step: SellStep; text: string };

/**
 * What a refused publish (`listing_incomplete`, or a validation problem) says is missing, one line per
 * field, each naming the step where it is fixed.
 */
export function missingItems(error: unknown, schema: readonly ResolvedAttribute[] = []): MissingItem[] {
  if (!(error instanceof ApiError)) return [];
  return (error.problem?.errors ?? []).map((item, index) => {
    const field = item.path.replace(/^body\.?/, '');
    const [head = '', rest = ''] = [field.split('.')[0], field.split('.').slice(1).join('.')];
    const attribute = head === 'attributes' ? schema.find((candidate) => candidate.key === rest) : undefined;
    const label =
      attribute?.label ??
      FIELD_LABELS[head] ??
      (head ? head.charAt(0).toUpperCase() + head.slice(1) : 'Listing');
    // "Description needs at least 10 characters."; "Location: pick a city." when the message is an instruction.
    const shaped = fieldMessage(label, item.message);
    const text = shaped.startsWith(label)
      ? shaped
      : `${label}: ${shaped.charAt(0).toLowerCase()}${shaped.slice(1)}`;
    return { key: `${field}-${index}`, step: stepOfField(field), text };
  });
}
